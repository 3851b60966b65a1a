package dev.provision.engine.connect;

import dev.provision.task.CommandResult;

import java.util.List;

/**
 * Something a run puts between itself and a host's shell, as OkHttp's interceptors sit between a
 * call and the network: it sees every batch, may send batches of its own, and passes the batch on
 * with {@link Chain#proceed}. The host lock and the {@code -vv} command log are layers.
 */
@FunctionalInterface
public interface Layer {

    List<CommandResult> send(Batch batch, Chain chain);

    /** The rest of the chain, down to the shell. */
    interface Chain {

        List<CommandResult> proceed(Batch batch);

        /** The shell's own description, for messages. */
        String describe();
    }
}
