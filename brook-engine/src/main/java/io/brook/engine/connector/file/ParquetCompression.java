package io.brook.engine.connector.file;

import io.airlift.compress.Compressor;
import io.airlift.compress.Decompressor;
import io.airlift.compress.lz4.Lz4Compressor;
import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Compresses and decompresses Parquet pages in pure Java: snappy, zstd and lz4_raw with aircompressor, gzip with the
 * JDK. It replaces parquet-hadoop's default codec factory, which loads Hadoop's codec classes, and the native
 * snappy-java and zstd-jni libraries. Thread-safe: each call returns a new compressor or decompressor, which one writer
 * or reader uses on its thread; {@link #release} has nothing to free.
 */
final class ParquetCompression implements CompressionCodecFactory {
    static final ParquetCompression INSTANCE = new ParquetCompression();

    /** The codecs this factory reads and writes. */
    static final Set<CompressionCodecName> SUPPORTED = EnumSet.of(
            CompressionCodecName.UNCOMPRESSED,
            CompressionCodecName.SNAPPY,
            CompressionCodecName.GZIP,
            CompressionCodecName.ZSTD,
            CompressionCodecName.LZ4_RAW);

    private ParquetCompression() {}

    /** The codec named by the {@code compression} option (see {@link FileOptions#COMPRESSIONS}). */
    static CompressionCodecName codec(String option) {
        return option.equals("none")
                ? CompressionCodecName.UNCOMPRESSED
                : CompressionCodecName.valueOf(option.toUpperCase(Locale.ROOT));
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        return switch (codec) {
            case UNCOMPRESSED -> new Block(codec, null, null);
            case SNAPPY -> new Block(codec, new SnappyCompressor(), new SnappyDecompressor());
            case ZSTD -> new Block(codec, new ZstdCompressor(), new ZstdDecompressor());
            case LZ4_RAW -> new Block(codec, new Lz4Compressor(), new Lz4Decompressor());
            case GZIP -> new Gzip();
            default -> throw unsupported(codec);
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return switch (codec) {
            case UNCOMPRESSED, SNAPPY, ZSTD, LZ4_RAW -> (Block) getCompressor(codec);
            case GZIP -> new Gzip();
            default -> throw unsupported(codec);
        };
    }

    private static IllegalArgumentException unsupported(CompressionCodecName codec) {
        return new IllegalArgumentException(
                "Parquet compression " + codec + " is not supported; supported: " + SUPPORTED);
    }

    @Override
    public void release() {}

    /** A codec that compresses a whole page as one block (or not at all). */
    private static final class Block implements BytesInputCompressor, BytesInputDecompressor {
        private final CompressionCodecName codec;
        private final Compressor compressor;
        private final Decompressor decompressor;

        Block(CompressionCodecName codec, Compressor compressor, Decompressor decompressor) {
            this.codec = codec;
            this.compressor = compressor;
            this.decompressor = decompressor;
        }

        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
            if (compressor == null) {
                return bytes;
            }
            byte[] input = bytes.toByteArray();
            byte[] output = new byte[compressor.maxCompressedLength(input.length)];
            int length = compressor.compress(input, 0, input.length, output, 0, output.length);
            return BytesInput.from(output, 0, length);
        }

        @Override
        public BytesInput decompress(BytesInput bytes, int decompressedSize) throws IOException {
            if (decompressor == null) {
                return bytes;
            }
            byte[] input = bytes.toByteArray();
            byte[] output = new byte[decompressedSize];
            int length = decompressor.decompress(input, 0, input.length, output, 0, output.length);
            if (length != decompressedSize) {
                throw new IOException(
                        codec + " page decompressed to " + length + " bytes; its header says " + decompressedSize);
            }
            return BytesInput.from(output);
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int decompressedSize)
                throws IOException {
            byte[] compressed = new byte[compressedSize];
            input.get(compressed);
            output.put(decompress(BytesInput.from(compressed), decompressedSize).toByteBuffer());
        }

        @Override
        public CompressionCodecName getCodecName() {
            return codec;
        }

        @Override
        public void release() {}
    }

    /** GZIP, as a gzip stream per page. */
    private static final class Gzip implements BytesInputCompressor, BytesInputDecompressor {
        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(output)) {
                bytes.writeAllTo(gzip);
            }
            return BytesInput.from(output.toByteArray());
        }

        @Override
        public BytesInput decompress(BytesInput bytes, int decompressedSize) throws IOException {
            try (InputStream gzip = new GZIPInputStream(bytes.toInputStream())) {
                byte[] output = gzip.readNBytes(decompressedSize);
                if (output.length != decompressedSize) {
                    throw new IOException("GZIP page decompressed to " + output.length + " bytes; its header says "
                            + decompressedSize);
                }
                return BytesInput.from(output);
            }
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int decompressedSize)
                throws IOException {
            byte[] compressed = new byte[compressedSize];
            input.get(compressed);
            output.put(decompress(BytesInput.from(compressed), decompressedSize).toByteBuffer());
        }

        @Override
        public CompressionCodecName getCodecName() {
            return CompressionCodecName.GZIP;
        }

        @Override
        public void release() {}
    }
}
