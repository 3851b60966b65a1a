package dev.provision.playbooks.synapse;

/** Certificate and key files nginx serves HTTPS with (port 443, and 8448 for federation). */
public record Tls(String certificate, String key) {
}
