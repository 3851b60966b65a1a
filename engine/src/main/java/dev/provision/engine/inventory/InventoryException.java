package dev.provision.engine.inventory;

/**
 * The inventory cannot be used as written: bad YAML, an unknown key, a host or playbook class that
 * does not exist. The message names the file and, where there is one, the line and column.
 */
public class InventoryException extends RuntimeException {

    public InventoryException(String message) {
        super(message);
    }
}
