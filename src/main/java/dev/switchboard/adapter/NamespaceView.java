package dev.switchboard.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/** What an adapter may see of its namespace: its name, its local sockets, time, and a few counters. */
public interface NamespaceView {

    String name();

    /** A socket connected to this namespace on this node, if any. */
    Optional<LocalSocket> localSocket(String socketId);

    /** A fresh acknowledgement id, unique within the namespace on this node. */
    long nextAckId();

    long nowMillis();

    /** How long disconnected sessions and broadcast packets are kept for recovery; 0 when recovery is off. */
    long recoveryWindowMillis();

    /** Delivers a server-side event that another node emitted (a single node never calls it). */
    void onServerSideEmit(List<JsonNode> args);
}
