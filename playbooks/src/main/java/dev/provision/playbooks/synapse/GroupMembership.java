package dev.provision.playbooks.synapse;

/** A user that must be in a group, why, and what makes the new membership effective. */
public record GroupMembership(String user, String group, String reason, ServiceAction takesEffectAfter) {
}
