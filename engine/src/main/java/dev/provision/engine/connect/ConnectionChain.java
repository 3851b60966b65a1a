package dev.provision.engine.connect;

import dev.provision.task.CommandResult;

import java.util.List;

/** A shell with layers around it; the first layer is the outermost, the one that sees a batch first. */
public final class ConnectionChain implements Connection {

    private final Connection shell;
    private final List<Layer> layers;

    private ConnectionChain(Connection shell, List<Layer> layers) {
        this.shell = shell;
        this.layers = List.copyOf(layers);
    }

    public static Connection of(Connection shell, List<Layer> layers) {
        return layers.isEmpty() ? shell : new ConnectionChain(shell, layers);
    }

    @Override
    public List<CommandResult> send(Batch batch) {
        return new Link(0).proceed(batch);
    }

    @Override
    public int roundTrips() {
        return shell.roundTrips();
    }

    @Override
    public String describe() {
        return shell.describe();
    }

    /** The chain from one layer down: each layer is handed the link after it. */
    private final class Link implements Layer.Chain {

        private final int index;

        Link(int index) {
            this.index = index;
        }

        @Override
        public List<CommandResult> proceed(Batch batch) {
            return index == layers.size() ? shell.send(batch) : layers.get(index).send(batch, new Link(index + 1));
        }

        @Override
        public String describe() {
            return shell.describe();
        }
    }
}
