package io.llmload.realserver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GGUF file, read back with an independent reader; llama.cpp itself loads it in {@link LlamaServerSmokeTest}. */
class TinyGgufTest {

    private static final TinyGguf SMALL = new TinyGguf(64, 2, 4, 2, 128, 600, 256, 7L);

    @Test
    void headerMetadataAndTensorTableFollowTheFormat(@TempDir Path dir) throws Exception {
        Path file = SMALL.write(dir.resolve("m.gguf"));
        GgufHeader h = GgufHeader.read(file);

        assertEquals(3, h.version());
        assertEquals("llama", h.metadata().get("general.architecture"));
        assertEquals(64, h.metadata().get("llama.embedding_length"));
        assertEquals(2, h.metadata().get("llama.block_count"));
        assertEquals(4, h.metadata().get("llama.attention.head_count"));
        assertEquals(2, h.metadata().get("llama.attention.head_count_kv"));
        assertEquals(16, h.metadata().get("llama.rope.dimension_count"));
        assertEquals(1e-5f, h.metadata().get("llama.attention.layer_norm_rms_epsilon"));
        assertEquals("llama", h.metadata().get("tokenizer.ggml.model"));
        assertEquals(600, ((List<?>) h.metadata().get("tokenizer.ggml.tokens")).size());
        assertEquals(600, ((List<?>) h.metadata().get("tokenizer.ggml.scores")).size());
        assertEquals(600, ((List<?>) h.metadata().get("tokenizer.ggml.token_type")).size());
        assertTrue(((String) h.metadata().get("tokenizer.chat_template")).contains("<|im_start|>"));

        assertEquals(1 + 2 * 9 + 2, h.tensors().size());
        GgufHeader.TensorInfo k = h.tensors().stream().filter(t -> t.name().equals("blk.1.attn_k.weight"))
                .findFirst().orElseThrow();
        assertArrayEquals(new long[] {64, 32}, k.shape(), "attn_k is n_embd x (kv heads * head size)");
        GgufHeader.TensorInfo down = h.tensors().stream().filter(t -> t.name().equals("blk.0.ffn_down.weight"))
                .findFirst().orElseThrow();
        assertArrayEquals(new long[] {128, 64}, down.shape());

        long end = h.dataStart();
        for (GgufHeader.TensorInfo t : h.tensors()) {
            assertEquals(0, t.offset() % 32, t.name() + " offset aligned");
            assertEquals(0, t.type(), "F32");
            long bytes = 4;
            for (long d : t.shape()) {
                bytes *= d;
            }
            end = h.dataStart() + t.offset() + bytes;
        }
        assertEquals(Files.size(file), (end + 31) / 32 * 32, "file ends at the last tensor, padded");
        assertEquals(SMALL.parameters() * 4, sumBytes(h));
    }

    @Test
    void biasLaneKeepsControlAndByteTokensOutOfGeneration(@TempDir Path dir) throws Exception {
        Path file = SMALL.write(dir.resolve("m.gguf"));
        GgufHeader h = GgufHeader.read(file);
        GgufHeader.TensorInfo out = h.tensors().stream().filter(t -> t.name().equals("output.weight"))
                .findFirst().orElseThrow();
        GgufHeader.TensorInfo wo = h.tensors().stream().filter(t -> t.name().equals("blk.0.attn_output.weight"))
                .findFirst().orElseThrow();
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int embd = 64;
        for (int id = 0; id < 600; id++) {
            float lane0 = b.getFloat((int) (h.dataStart() + out.offset() + (long) id * embd * 4));
            assertEquals(TinyGguf.generatable(id) ? 0f : -1000f, lane0, "output row " + id + " lane 0");
        }
        for (int col = 0; col < embd; col++) {
            assertEquals(0f, b.getFloat((int) (h.dataStart() + wo.offset() + col * 4L)), "attn_output row 0");
        }
        assertFalse(TinyGguf.generatable(2), "</s> is never generated");
        assertFalse(TinyGguf.generatable(3 + 0x80), "byte tokens are never generated");
        assertTrue(TinyGguf.generatable(261));
    }

    @Test
    void vocabularyIsUniqueSeededAndPrintable() throws Exception {
        List<String> tokens = SMALL.tokens();
        assertEquals(600, tokens.size());
        assertEquals(600, new HashSet<>(tokens).size());
        assertEquals(tokens, SMALL.tokens());
        assertEquals("<0x0A>", tokens.get(3 + 10));
        assertEquals("<|im_end|>", tokens.get(260));
        for (int id = 261; id < tokens.size(); id++) {
            assertTrue(tokens.get(id).chars().allMatch(c -> c == '\u2581' || (c >= 0x21 && c <= 0x7e)),
                    "token " + id + " printable: " + tokens.get(id));
        }
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes(@TempDir Path dir) throws Exception {
        byte[] a = sha(SMALL.write(dir.resolve("a.gguf")));
        byte[] b = sha(SMALL.write(dir.resolve("b.gguf")));
        byte[] c = sha(SMALL.withSeed(8L).write(dir.resolve("c.gguf")));
        assertArrayEquals(a, b);
        assertNotEquals(java.util.HexFormat.of().formatHex(a), java.util.HexFormat.of().formatHex(c));
    }

    @Test
    void writeOnceSharesOneFilePerRecord(@TempDir Path dir) throws Exception {
        Path first = SMALL.writeOnce(dir);
        Files.setLastModifiedTime(first, java.nio.file.attribute.FileTime.fromMillis(0));
        assertEquals(first, SMALL.writeOnce(dir));
        assertEquals(0, Files.getLastModifiedTime(first).toMillis(), "not rewritten");
        assertNotEquals(first, SMALL.withSeed(9L).writeOnce(dir));
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no partial files left behind");
        }
    }

    @Test
    void badSizesAreRejectedNamingTheParameter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SMALL.withHeads(5, 5));
        assertTrue(e.getMessage().startsWith("heads = 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SMALL.withVocabulary(100));
        assertEquals("vocabulary = 100: allowed 512..65536", e.getMessage());
    }

    private static long sumBytes(GgufHeader h) {
        long sum = 0;
        for (GgufHeader.TensorInfo t : h.tensors()) {
            long n = 4;
            for (long d : t.shape()) {
                n *= d;
            }
            sum += n;
        }
        return sum;
    }

    private static byte[] sha(Path p) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
    }
}
