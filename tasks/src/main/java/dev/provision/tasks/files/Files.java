package dev.provision.tasks.files;

/**
 * Where file tasks start:
 *
 * <pre>{@code
 * Files.file("/etc/redis/redis.conf").content(text).owner("redis").mode(0640);
 * Files.directory("/var/lib/synapse").owner("matrix-synapse").mode(0750);
 * Files.link("/etc/nginx/sites-enabled/synapse").to("/etc/nginx/sites-available/synapse");
 * }</pre>
 */
public final class Files {

    private Files() {
    }

    public static FileTask file(String path) {
        return new FileTask(path);
    }

    public static DirectoryTask directory(String path) {
        return new DirectoryTask(path);
    }

    public static LinkTask link(String path) {
        return new LinkTask(path);
    }
}
