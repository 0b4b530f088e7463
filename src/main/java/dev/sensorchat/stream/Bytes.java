package dev.sensorchat.stream;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The binary form of segments and checkpoints: variable-length integers (zig-zag for signed
 * deltas), raw IEEE doubles (values must come back bit for bit), length-prefixed UTF-8 strings.
 */
final class Bytes {

    private Bytes() {
    }

    static final class Writer {
        private byte[] buffer;
        private int size;

        Writer(int capacity) {
            buffer = new byte[Math.max(capacity, 16)];
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buffer, size);
        }

        int size() {
            return size;
        }

        Writer u8(int value) {
            ensure(1);
            buffer[size++] = (byte) value;
            return this;
        }

        /** Unsigned variable-length integer, 7 bits a byte. */
        Writer varint(long value) {
            ensure(10);
            while ((value & ~0x7FL) != 0) {
                buffer[size++] = (byte) ((value & 0x7F) | 0x80);
                value >>>= 7;
            }
            buffer[size++] = (byte) value;
            return this;
        }

        /** Signed: zig-zag, so small negative deltas stay small. */
        Writer zigzag(long value) {
            return varint((value << 1) ^ (value >> 63));
        }

        Writer f64(double value) {
            long bits = Double.doubleToRawLongBits(value);
            ensure(8);
            for (int i = 0; i < 8; i++) {
                buffer[size++] = (byte) (bits >>> (8 * i));
            }
            return this;
        }

        Writer string(String value) {
            if (value == null) {
                return varint(0);
            }
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            varint(utf8.length + 1L);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, buffer, size, utf8.length);
            size += utf8.length;
            return this;
        }

        Writer bool(boolean value) {
            return u8(value ? 1 : 0);
        }

        private void ensure(int more) {
            if (size + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
            }
        }
    }

    static final class Reader {
        private final byte[] buffer;
        private int position;

        Reader(byte[] buffer) {
            this.buffer = buffer;
        }

        boolean hasMore() {
            return position < buffer.length;
        }

        int u8() {
            return buffer[position++] & 0xFF;
        }

        long varint() {
            long value = 0;
            int shift = 0;
            while (true) {
                byte b = buffer[position++];
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
                shift += 7;
                if (shift > 63) {
                    throw new IllegalStateException("malformed variable-length integer");
                }
            }
        }

        int varintInt() {
            return Math.toIntExact(varint());
        }

        long zigzag() {
            long raw = varint();
            return (raw >>> 1) ^ -(raw & 1);
        }

        double f64() {
            long bits = 0;
            for (int i = 0; i < 8; i++) {
                bits |= (long) (buffer[position++] & 0xFF) << (8 * i);
            }
            return Double.longBitsToDouble(bits);
        }

        String string() {
            int length = varintInt();
            if (length == 0) {
                return null;
            }
            String value = new String(buffer, position, length - 1, StandardCharsets.UTF_8);
            position += length - 1;
            return value;
        }

        boolean bool() {
            return u8() != 0;
        }
    }
}
