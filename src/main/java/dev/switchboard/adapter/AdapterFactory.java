package dev.switchboard.adapter;

/** Creates the adapter of each namespace, once, when the namespace is created. */
@FunctionalInterface
public interface AdapterFactory {
    Adapter create(NamespaceView namespace);
}
