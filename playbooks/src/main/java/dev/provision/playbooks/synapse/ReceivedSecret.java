package dev.provision.playbooks.synapse;

/**
 * A secret one machine makes and another must hold the same: {@code file} on the receiving machine
 * gets the content of {@code sourcePath} on {@code fromMachine}. For a deployment to hand over with
 * {@code Role.produces(name, Files.secretAt(sourcePath))} and
 * {@code Files.file(file.path()).content(host.received(product))}; a machine receiving from itself
 * copies the file locally.
 *
 * @param name what it is, the product's name ("signing key")
 */
public record ReceivedSecret(String name, String fromMachine, String sourcePath, SecretFile file) {
}
