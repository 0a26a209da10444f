package io.llmload.realserver;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * A tiny Llama-architecture model with seeded random weights, written as a GGUF v3 file that llama.cpp
 * loads. Synthetic: it produces word salad, but at a real transformer's cost per token, which is what a
 * load test of a real inference engine needs (no registry ships model weights, so the tests make their own).
 *
 * <p>Immutable, so all {@code with*} methods return a new occurrence and leave the original unmodified.
 *
 * <p>Layout and key names follow llama.cpp's {@code gguf-py/gguf/constants.py}, {@code src/llama-arch.cpp},
 * {@code src/models/llama.cpp} and {@code src/llama-vocab.cpp}. Tensor shapes are given in ggml order (the
 * first dimension is the contiguous one). The vocabulary is SentencePiece-style ({@code tokenizer.ggml.model
 * = llama}): {@code <unk>}, {@code <s>}, {@code </s>}, the 256 byte tokens {@code <0xNN>} that SPM falls back
 * to for characters it has no piece for, the ChatML markers, the printable ASCII characters, and synthetic
 * words. The chat template is ChatML, so {@code /v1/chat/completions} works.
 *
 * <p>Generation never emits a control or byte token: one embedding dimension ("the bias lane") is held at a
 * constant through every layer (the attention and FFN output projections have a zero row for it), and the
 * output rows of those tokens carry a large negative weight on that lane. So every generated token is a
 * printable word piece: a stream never ends early on EOS, never holds back half a UTF-8 character, and one
 * token is one streamed chunk.
 */
public record TinyGguf(int embedding, int layers, int heads, int kvHeads, int feedForward, int vocabulary,
                       int contextLength, long seed, boolean reranker) {

    /** llama.cpp's token types ({@code llama_token_type} in include/llama.h). */
    private static final int NORMAL = 1, UNKNOWN = 2, CONTROL = 3, BYTE = 6;
    /** Fixed ids at the head of the vocabulary (see {@link #tokens()}). */
    private static final int FIRST_BYTE = 3, IM_START = FIRST_BYTE + 256, IM_END = IM_START + 1;
    private static final int GGUF_UINT32 = 4, GGUF_INT32 = 5, GGUF_FLOAT32 = 6, GGUF_BOOL = 7, GGUF_STRING = 8,
            GGUF_ARRAY = 9;
    private static final int GGML_TYPE_F32 = 0;
    private static final int ALIGNMENT = 32;
    /** Far below any random logit (those are about N(0, 1)), so suppressed tokens are never sampled. */
    private static final float SUPPRESS = -1000f;

    static final String CHATML_TEMPLATE = "{% for message in messages %}"
            + "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
            + "{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    public TinyGguf {
        require(embedding >= 16 && embedding <= 4096, "embedding", embedding, "16..4096");
        require(layers >= 1 && layers <= 64, "layers", layers, "1..64");
        require(heads >= 1 && embedding % heads == 0 && (embedding / heads) % 2 == 0, "heads", heads,
                "a divisor of embedding leaving an even head size");
        require(kvHeads >= 1 && heads % kvHeads == 0, "kvHeads", kvHeads, "a divisor of heads");
        require(feedForward >= 16 && feedForward <= 65536, "feedForward", feedForward, "16..65536");
        require(vocabulary >= 512 && vocabulary <= 65536, "vocabulary", vocabulary, "512..65536");
        require(contextLength >= 64 && contextLength <= 1 << 20, "contextLength", contextLength, "64..1048576");
    }

    private static void require(boolean ok, String name, int value, String allowed) {
        if (!ok) {
            throw new IllegalArgumentException(name + " = " + value + ": allowed " + allowed);
        }
    }

    /**
     * The tests' model: 384 wide, 4 layers, 4 heads of 96, FFN 1152, 2048 tokens, 9.2 M parameters (37 MB of
     * F32). A decode step takes 2 to 3 ms on one thread of a 2-core CI machine (about 1.2 ms at 256 wide, 4 to
     * 6 ms at 512 wide): a real model's cost per token in kind, small enough for tests of a few seconds.
     */
    public static TinyGguf defaults() {
        return new TinyGguf(384, 4, 4, 4, 1152, 2048, 4096, 42L, false);
    }

    public TinyGguf withEmbedding(int value) {
        return new TinyGguf(value, layers, heads, kvHeads, feedForward, vocabulary, contextLength, seed, reranker);
    }

    public TinyGguf withLayers(int value) {
        return new TinyGguf(embedding, value, heads, kvHeads, feedForward, vocabulary, contextLength, seed, reranker);
    }

    public TinyGguf withHeads(int value, int kvValue) {
        return new TinyGguf(embedding, layers, value, kvValue, feedForward, vocabulary, contextLength, seed, reranker);
    }

    public TinyGguf withFeedForward(int value) {
        return new TinyGguf(embedding, layers, heads, kvHeads, value, vocabulary, contextLength, seed, reranker);
    }

    public TinyGguf withVocabulary(int value) {
        return new TinyGguf(embedding, layers, heads, kvHeads, feedForward, value, contextLength, seed, reranker);
    }

    public TinyGguf withContextLength(int value) {
        return new TinyGguf(embedding, layers, heads, kvHeads, feedForward, vocabulary, value, seed, reranker);
    }

    public TinyGguf withSeed(long value) {
        return new TinyGguf(embedding, layers, heads, kvHeads, feedForward, vocabulary, contextLength, value, reranker);
    }

    /** Generators as before: a llama-architecture model. */
    public TinyGguf(int embedding, int layers, int heads, int kvHeads, int feedForward, int vocabulary,
                    int contextLength, long seed) {
        this(embedding, layers, heads, kvHeads, feedForward, vocabulary, contextLength, seed, false);
    }

    /**
     * The same weights as a Qwen3-architecture reranker: q/k norms (ones) in every layer and a random
     * {@code cls.output} head over two labels ("yes", "no"), pooling type rank. llama.cpp pools a Qwen3
     * model on each sequence's last token and soft-maxes the head, so {@code llama-server --rerank}
     * gives every (query, document) pair its own score in (0, 1); a llama-architecture model is pooled on
     * its first token, the same for every document.
     */
    public TinyGguf withReranker() {
        return new TinyGguf(embedding, layers, heads, kvHeads, feedForward, vocabulary, contextLength, seed, true);
    }

    public int headSize() {
        return embedding / heads;
    }

    /** Number of weights in the file. */
    public long parameters() {
        return tensors().stream().mapToLong(Tensor::elements).sum();
    }

    /** The token pieces, index = token id; synthetic words are seeded, so the same record gives the same list. */
    public List<String> tokens() {
        List<String> tokens = new ArrayList<>(vocabulary);
        tokens.add("<unk>");
        tokens.add("<s>");
        tokens.add("</s>");
        for (int b = 0; b < 256; b++) {
            tokens.add(String.format(Locale.ROOT, "<0x%02X>", b));
        }
        tokens.add("<|im_start|>");
        tokens.add("<|im_end|>");
        Set<String> seen = new LinkedHashSet<>(tokens);
        addUnique(tokens, seen, "\u2581");
        for (char c = '!'; c <= '~'; c++) {
            addUnique(tokens, seen, String.valueOf(c));
        }
        Random random = new Random(seed ^ 0x70CE45L);
        String[] onsets = {"b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z",
            "br", "ch", "st", "tr", "sh", "pl", "gr"};
        String[] nuclei = {"a", "e", "i", "o", "u", "ai", "ou", "ea"};
        while (tokens.size() < vocabulary) {
            StringBuilder word = new StringBuilder("\u2581");
            int syllables = 1 + random.nextInt(3);
            for (int s = 0; s < syllables; s++) {
                word.append(onsets[random.nextInt(onsets.length)]).append(nuclei[random.nextInt(nuclei.length)]);
            }
            if (random.nextInt(4) == 0) {
                word.append(onsets[random.nextInt(17)]);
            }
            addUnique(tokens, seen, word.toString());
        }
        return tokens;
    }

    private static void addUnique(List<String> tokens, Set<String> seen, String token) {
        if (seen.add(token)) {
            tokens.add(token);
        }
    }

    /** Whether generation can produce the token: not for unknown, control and byte tokens. */
    static boolean generatable(int id) {
        return tokenType(id) == NORMAL;
    }

    static int tokenType(int id) {
        if (id == 0) {
            return UNKNOWN;
        }
        if (id < FIRST_BYTE || id == IM_START || id == IM_END) {
            return CONTROL;
        }
        return id < IM_START ? BYTE : NORMAL;
    }

    /**
     * The model file in {@code dir}, named after this record's sizes and seed, written only if absent: the
     * file is a pure function of the record, so test classes share one instead of each writing 37 MB.
     */
    public Path writeOnce(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(String.format(Locale.ROOT, "tiny-%s-e%d-l%d-h%d-kv%d-ff%d-v%d-c%d-s%d.gguf",
                reranker ? "qwen3rank" : "llama", embedding, layers, heads, kvHeads, feedForward, vocabulary,
                contextLength, seed));
        if (!Files.exists(file)) {
            Path tmp = Files.createTempFile(dir, "tiny-llama-", ".partial");
            try {
                write(tmp);
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return file;
    }

    /** Writes the model to {@code file} (created or replaced) and returns it. */
    public Path write(Path file) throws IOException {
        List<String> tokens = tokens();
        List<Tensor> tensors = tensors();
        // Metadata goes to memory first: the header states its key count before the keys.
        ByteArrayOutputStream metadata = new ByteArrayOutputStream(1 << 16);
        LittleEndian meta = new LittleEndian(metadata);
        writeMetadata(meta, tokens);
        try (OutputStream raw = Files.newOutputStream(file);
             LittleEndian out = new LittleEndian(new BufferedOutputStream(raw, 1 << 16))) {
            out.bytes("GGUF".getBytes(StandardCharsets.US_ASCII));
            out.u32(3);
            out.u64(tensors.size());
            out.u64(meta.keys);
            out.bytes(metadata.toByteArray());

            long offset = 0;
            for (Tensor t : tensors) {
                out.string(t.name());
                out.u32(t.shape().length);
                for (long d : t.shape()) {
                    out.u64(d);
                }
                out.u32(GGML_TYPE_F32);
                out.u64(offset);
                offset = align(offset + t.elements() * Float.BYTES);
            }
            out.pad(ALIGNMENT);
            Random random = new Random(seed);
            for (Tensor t : tensors) {
                t.fill(random, out);
                out.pad(ALIGNMENT);
            }
        }
        return file;
    }

    private void writeMetadata(LittleEndian out, List<String> tokens) throws IOException {
        {
            String arch = reranker ? "qwen3" : "llama";
            out.kvString("general.architecture", arch);
            out.kvString("general.name", "tiny-random-" + arch + (reranker ? "-reranker" : "") + " (synthetic, seed " + seed + ")");
            out.kvU32("general.alignment", ALIGNMENT);
            out.kvU32("general.file_type", 0);
            out.kvU32(arch + ".context_length", contextLength);
            out.kvU32(arch + ".embedding_length", embedding);
            out.kvU32(arch + ".block_count", layers);
            out.kvU32(arch + ".feed_forward_length", feedForward);
            out.kvU32(arch + ".attention.head_count", heads);
            out.kvU32(arch + ".attention.head_count_kv", kvHeads);
            if (!reranker) {
                out.kvU32("llama.rope.dimension_count", headSize());
            }
            out.kvF32(arch + ".rope.freq_base", 10000f);
            out.kvF32(arch + ".attention.layer_norm_rms_epsilon", 1e-5f);
            out.kvU32(arch + ".vocab_size", vocabulary);
            if (reranker) {
                out.kvU32("qwen3.pooling_type", 4); // LLAMA_POOLING_TYPE_RANK
                out.kvStrings("qwen3.classifier.output_labels", List.of("yes", "no"));
            }
            out.kvString("tokenizer.ggml.model", "llama");
            out.kvStrings("tokenizer.ggml.tokens", tokens);
            float[] scores = new float[vocabulary];
            int[] types = new int[vocabulary];
            for (int id = 0; id < vocabulary; id++) {
                types[id] = tokenType(id);
                // SPM merges toward the higher score: prefer longer pieces, as a trained vocabulary does.
                scores[id] = types[id] == NORMAL ? tokens.get(id).length() - id * 1e-6f : 0f;
            }
            out.kvF32s("tokenizer.ggml.scores", scores);
            out.kvI32s("tokenizer.ggml.token_type", types);
            out.kvU32("tokenizer.ggml.unknown_token_id", 0);
            out.kvU32("tokenizer.ggml.bos_token_id", 1);
            out.kvU32("tokenizer.ggml.eos_token_id", 2);
            out.kvBool("tokenizer.ggml.add_bos_token", true);
            out.kvBool("tokenizer.ggml.add_eos_token", false);
            out.kvString("tokenizer.chat_template", CHATML_TEMPLATE);
        }
    }

    private static long align(long n) {
        return (n + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** Tensor kinds, each with its own initialisation. */
    private enum Kind { EMBEDDING, NORM, MATRIX, RESIDUAL_OUT, LM_HEAD }

    private record Tensor(String name, Kind kind, long... shape) {
        long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        /**
         * Streams the tensor's values row by row (a row is {@code shape[0]} contiguous values): weights are
         * N(0, 1/fan_in) so activations keep unit scale through the layers; lane 0 is the bias lane.
         */
        void fill(Random random, LittleEndian out) throws IOException {
            int rowLength = (int) shape[0];
            long rows = elements() / rowLength;
            double scale = 1.0 / Math.sqrt(rowLength);
            for (long row = 0; row < rows; row++) {
                for (int col = 0; col < rowLength; col++) {
                    out.f32(value(random, row, col, scale));
                }
            }
        }

        private float value(Random random, long row, int col, double scale) {
            double gaussian = random.nextGaussian();
            return switch (kind) {
                case NORM -> 1f;
                case EMBEDDING -> col == 0 ? 1f : (float) gaussian;
                case MATRIX -> (float) (gaussian * scale);
                // Zero row for output lane 0, so the residual stream's bias lane stays at its embedded 1.
                case RESIDUAL_OUT -> row == 0 ? 0f : (float) (gaussian * scale);
                case LM_HEAD -> col == 0
                        ? (generatable((int) row) ? 0f : SUPPRESS)
                        : (float) (gaussian * scale * 3);
            };
        }
    }

    private List<Tensor> tensors() {
        long kv = (long) kvHeads * headSize();
        List<Tensor> list = new ArrayList<>();
        list.add(new Tensor("token_embd.weight", Kind.EMBEDDING, embedding, vocabulary));
        for (int i = 0; i < layers; i++) {
            String p = "blk." + i + ".";
            list.add(new Tensor(p + "attn_norm.weight", Kind.NORM, embedding));
            list.add(new Tensor(p + "attn_q.weight", Kind.MATRIX, embedding, embedding));
            list.add(new Tensor(p + "attn_k.weight", Kind.MATRIX, embedding, kv));
            list.add(new Tensor(p + "attn_v.weight", Kind.MATRIX, embedding, kv));
            list.add(new Tensor(p + "attn_output.weight", Kind.RESIDUAL_OUT, embedding, embedding));
            list.add(new Tensor(p + "ffn_norm.weight", Kind.NORM, embedding));
            list.add(new Tensor(p + "ffn_gate.weight", Kind.MATRIX, embedding, feedForward));
            list.add(new Tensor(p + "ffn_up.weight", Kind.MATRIX, embedding, feedForward));
            list.add(new Tensor(p + "ffn_down.weight", Kind.RESIDUAL_OUT, feedForward, embedding));
        }
        list.add(new Tensor("output_norm.weight", Kind.NORM, embedding));
        list.add(new Tensor("output.weight", Kind.LM_HEAD, embedding, vocabulary));
        if (reranker) { // last, so the tensors above get the same random values as the llama model's
            for (int i = 0; i < layers; i++) {
                list.add(new Tensor("blk." + i + ".attn_q_norm.weight", Kind.NORM, headSize()));
                list.add(new Tensor("blk." + i + ".attn_k_norm.weight", Kind.NORM, headSize()));
            }
            list.add(new Tensor("cls.output.weight", Kind.MATRIX, embedding, 2));
        }
        return list;
    }

    /** GGUF is little-endian throughout; one reusable buffer keeps the weight stream allocation-free. */
    private static final class LittleEndian implements AutoCloseable {
        private final OutputStream out;
        private final ByteBuffer buf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        private long written;
        private int keys;

        LittleEndian(OutputStream out) {
            this.out = out;
        }

        void bytes(byte[] b) throws IOException {
            out.write(b);
            written += b.length;
        }

        private void flushBuf() throws IOException {
            out.write(buf.array(), 0, buf.position());
            written += buf.position();
            buf.clear();
        }

        void u32(int v) throws IOException {
            buf.putInt(v);
            flushBuf();
        }

        void u64(long v) throws IOException {
            buf.putLong(v);
            flushBuf();
        }

        void f32(float v) throws IOException {
            buf.putFloat(v);
            flushBuf();
        }

        void string(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            bytes(b);
        }

        void key(String key, int type) throws IOException {
            keys++;
            string(key);
            u32(type);
        }

        void kvU32(String key, int v) throws IOException {
            key(key, GGUF_UINT32);
            u32(v);
        }

        void kvF32(String key, float v) throws IOException {
            key(key, GGUF_FLOAT32);
            f32(v);
        }

        void kvBool(String key, boolean v) throws IOException {
            key(key, GGUF_BOOL);
            bytes(new byte[] {(byte) (v ? 1 : 0)});
        }

        void kvString(String key, String v) throws IOException {
            key(key, GGUF_STRING);
            string(v);
        }

        void kvStrings(String key, List<String> values) throws IOException {
            key(key, GGUF_ARRAY);
            u32(GGUF_STRING);
            u64(values.size());
            for (String v : values) {
                string(v);
            }
        }

        void kvF32s(String key, float[] values) throws IOException {
            key(key, GGUF_ARRAY);
            u32(GGUF_FLOAT32);
            u64(values.length);
            for (float v : values) {
                f32(v);
            }
        }

        void kvI32s(String key, int[] values) throws IOException {
            key(key, GGUF_ARRAY);
            u32(GGUF_INT32);
            u64(values.length);
            for (int v : values) {
                u32(v);
            }
        }

        void pad(int alignment) throws IOException {
            while (written % alignment != 0) {
                out.write(0);
                written++;
            }
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
