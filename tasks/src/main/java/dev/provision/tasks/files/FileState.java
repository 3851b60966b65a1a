package dev.provision.tasks.files;

import java.util.Optional;

/**
 * What is at a path on the host, as {@link FileProbe} saw it. Owner, group and mode are set for files and
 * directories; size and sha256 for regular files; content only for regular files up to
 * {@link FileProbe#CONTENT_LIMIT} bytes; target only for symbolic links.
 */
public record FileState(String path, Type type, String owner, String group, Optional<Mode> mode, long size,
                        String sha256, Optional<byte[]> content, String target) {

    public enum Type {
        ABSENT("nothing"), FILE("regular file"), DIRECTORY("directory"), LINK("symbolic link"), OTHER("special file");

        private final String noun;

        Type(String noun) {
            this.noun = noun;
        }

        /** For messages: {@code /etc/x is a directory}. */
        public String noun() {
            return noun;
        }
    }

    public static FileState absent(String path) {
        return new FileState(path, Type.ABSENT, "", "", Optional.empty(), 0, "", Optional.empty(), "");
    }

    public boolean exists() {
        return type != Type.ABSENT;
    }

    public boolean is(Type expected) {
        return type == expected;
    }

    /** The file's content as UTF-8 text, for edits that work line by line. */
    public String text() {
        byte[] bytes = content.orElseThrow(() -> new ContentException(
                path + " is " + size + " bytes, larger than the " + FileProbe.CONTENT_LIMIT / 1024 + " KiB that line edits read"));
        return Utf8.decode(bytes).orElseThrow(() -> new ContentException(path + " is not UTF-8 text"));
    }
}
