package dev.provision.tasks.yaml;

/** How {@link YamlWriter} lays a document out. Both styles read back as the same values. */
public enum YamlStyle {

    /** Every list in block style with its items at their key's indent; strings quoted only where YAML 1.1 needs it. */
    BLOCK,

    /**
     * The way sample configurations such as Synapse's are written by hand: a list that holds no maps on one line
     * ({@code names: [client, federation]}), list items indented under their key, and every string that is not
     * a bare word or path in double quotes ({@code host: "127.0.0.1"}).
     */
    HAND_WRITTEN
}
