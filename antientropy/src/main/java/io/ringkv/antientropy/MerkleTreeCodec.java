package io.ringkv.antientropy;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The saved form of a {@link MerkleTree}: its shape, when it was built and its leaves (inner nodes are
 * recomputed on load). Checksummed, so a torn or corrupted save is detected and the tree rebuilt rather
 * than trusted.
 *
 * <pre>
 *   byte    magic 0xAE
 *   byte    format version 1
 *   int     leaf count
 *   int     fan-out
 *   long    built at, milliseconds since the epoch
 *   long[]  leaves, leaf count of them
 *   int     CRC32C of every byte before it
 * </pre>
 * All numbers big-endian. A tree of 1024 leaves (a ring of 64 partitions) takes 8 KiB.
 */
public final class MerkleTreeCodec {

    private static final byte MAGIC = (byte) 0xAE;
    private static final byte VERSION = 1;
    private static final int HEADER = 2 + 4 + 4 + 8;

    private MerkleTreeCodec() {
    }

    /**
     * The saved form of a built tree.
     *
     * @throws IllegalArgumentException if the tree is not built: an unbuilt tree must not be restored as
     *                                  built
     */
    public static byte[] encode(MerkleTree tree) {
        if (!tree.isBuilt()) {
            throw new IllegalArgumentException("only a built tree can be saved");
        }
        long[] leaves = tree.leafHashes();
        ByteBuffer out = ByteBuffer.allocate(HEADER + 8 * leaves.length + 4);
        out.put(MAGIC).put(VERSION).putInt(tree.shape().leafCount()).putInt(tree.shape().fanOut())
                .putLong(tree.builtAtMillis());
        for (long leaf : leaves) {
            out.putLong(leaf);
        }
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        return out.array();
    }

    /** Restores a built tree from its saved form. */
    public static MerkleTree decode(byte[] bytes) throws TreeDataException {
        if (bytes.length < HEADER + 4) {
            throw new TreeDataException("saved tree too short: " + bytes.length + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.get() != MAGIC) {
            throw new TreeDataException("not a saved tree: bad magic byte");
        }
        byte version = in.get();
        if (version != VERSION) {
            throw new TreeDataException("saved tree of unknown format version " + version);
        }
        int leafCount = in.getInt();
        int fanOut = in.getInt();
        long builtAt = in.getLong();
        if (leafCount < 1 || fanOut < 2 || bytes.length != HEADER + 8L * leafCount + 4 || builtAt < 0) {
            throw new TreeDataException("saved tree header is inconsistent: " + leafCount + " leaves, fan-out " + fanOut
                    + ", " + bytes.length + " bytes");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        if ((int) crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt()) {
            throw new TreeDataException("saved tree checksum mismatch");
        }
        long[] leaves = new long[leafCount];
        for (int i = 0; i < leafCount; i++) {
            leaves[i] = in.getLong();
        }
        return MerkleTree.restored(TreeShape.of(leafCount, fanOut), leaves, builtAt);
    }
}
