package io.llmload.realserver;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a GGUF file's header, metadata and tensor table back, independently of {@link TinyGguf}'s writer,
 * so the test checks the file against the format and not against the writer's own assumptions.
 */
record GgufHeader(int version, Map<String, Object> metadata, List<TensorInfo> tensors, long dataStart) {

    record TensorInfo(String name, long[] shape, int type, long offset) {}

    static GgufHeader read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
            byte[] magic = new byte[4];
            b.get(magic);
            if (!"GGUF".equals(new String(magic, StandardCharsets.US_ASCII))) {
                throw new IOException("not a GGUF file: " + file);
            }
            int version = b.getInt();
            long tensorCount = b.getLong();
            long kvCount = b.getLong();
            Map<String, Object> metadata = new LinkedHashMap<>();
            for (long i = 0; i < kvCount; i++) {
                String key = string(b);
                metadata.put(key, value(b, b.getInt()));
            }
            List<TensorInfo> tensors = new ArrayList<>();
            for (long i = 0; i < tensorCount; i++) {
                String name = string(b);
                long[] shape = new long[b.getInt()];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = b.getLong();
                }
                tensors.add(new TensorInfo(name, shape, b.getInt(), b.getLong()));
            }
            Object alignment = metadata.getOrDefault("general.alignment", 32);
            long align = ((Number) alignment).longValue();
            long dataStart = (b.position() + align - 1) / align * align;
            return new GgufHeader(version, metadata, tensors, dataStart);
        }
    }

    private static String string(ByteBuffer b) {
        byte[] bytes = new byte[Math.toIntExact(b.getLong())];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static Object value(ByteBuffer b, int type) throws IOException {
        return switch (type) {
            case 0, 1 -> b.get();
            case 2, 3 -> b.getShort();
            case 4, 5 -> b.getInt();
            case 6 -> b.getFloat();
            case 7 -> b.get() != 0;
            case 8 -> string(b);
            case 9 -> {
                int elementType = b.getInt();
                long n = b.getLong();
                List<Object> list = new ArrayList<>();
                for (long i = 0; i < n; i++) {
                    list.add(value(b, elementType));
                }
                yield list;
            }
            case 10, 11 -> b.getLong();
            case 12 -> b.getDouble();
            default -> throw new IOException("unknown GGUF value type " + type);
        };
    }
}
