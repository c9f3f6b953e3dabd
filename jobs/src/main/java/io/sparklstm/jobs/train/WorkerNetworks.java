package io.sparklstm.jobs.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The networks an executor JVM keeps between averaging rounds, so that a round's worker sets parameters and
 * updater state into a network built in an earlier round instead of building one from the configuration.
 *
 * <p>A pool per key ({@link PooledTrainingWorker#key}: the training master's run and the generation of its network
 * configuration), not one network per worker slot: tasks of one round run side by side in one executor, each
 * takes a network of its own and gives it back when its result is copied out, so the pool holds as many networks
 * as tasks ever ran at once here. Only the newest key is kept: a new run or a changed configuration (a new
 * learning rate, each epoch) drops the networks of every other key, which are then garbage. Two runs training
 * at once in one JVM would drop each other's networks and rebuild them, which costs time only.
 */
final class WorkerNetworks {

    private static final Map<String, Deque<MultiLayerNetwork>> IDLE = new ConcurrentHashMap<>();

    private WorkerNetworks() {
    }

    /** An idle network of {@code key}, now this caller's alone; empty when none is idle. */
    static Optional<MultiLayerNetwork> take(String key) {
        IDLE.keySet().removeIf(k -> !k.equals(key));
        Deque<MultiLayerNetwork> idle = IDLE.get(key);
        return Optional.ofNullable(idle == null ? null : idle.pollFirst());
    }

    /** Returns a network taken (or built) for {@code key}; the caller must not touch it again. */
    static void giveBack(String key, MultiLayerNetwork network) {
        IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).addFirst(network);
    }

    /** Idle networks of {@code key}, for tests. */
    static int idle(String key) {
        Deque<MultiLayerNetwork> idle = IDLE.get(key);
        return idle == null ? 0 : idle.size();
    }
}
