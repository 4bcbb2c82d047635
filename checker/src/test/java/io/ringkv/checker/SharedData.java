package io.ringkv.checker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the shared test data: {@code <repository root>/../shared/porcupine-data}, where the
 * repository root is the nearest directory above the working directory whose pom.xml is the
 * {@code ringkv-parent} pom.
 */
public final class SharedData {

    private SharedData() {
    }

    /** The folder of Porcupine's public histories and VERDICTS.md; fails clearly when missing. */
    public static Path porcupineData() {
        Path root = repositoryRoot();
        Path data = root.resolve("../shared/porcupine-data").normalize();
        if (!Files.isRegularFile(data.resolve("VERDICTS.md"))) {
            throw new IllegalStateException("Porcupine's public histories are missing: expected " + data
                    + "/VERDICTS.md (the shared/ folder next to the repository " + root + ")");
        }
        return data;
    }

    /** The directory holding the ringkv-parent pom, searched upwards from the working directory. */
    public static Path repositoryRoot() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            try {
                if (Files.isRegularFile(pom) && Files.readString(pom).contains("<artifactId>ringkv-parent</artifactId>")
                        && !Files.readString(pom).contains("<parent>")) {
                    return dir;
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + pom, e);
            }
        }
        throw new IllegalStateException("no ringkv-parent pom.xml above " + start);
    }
}
