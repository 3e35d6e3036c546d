package dev.switchboard.container;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;

/**
 * The web application's class loader, except that it finds no Jakarta Concurrency context-provider services.
 *
 * <p>Tyrus re-arms its idle timer on the container's managed scheduler for every WebSocket frame, and each time
 * Payara looks up {@code jakarta.enterprise.concurrent.spi.ThreadContextProvider} services through the thread's
 * context class loader, scanning every jar of the WAR and of the server. Profiling a fan-out put that lookup at over
 * half the server's CPU. Sends run with this loader as context class loader, so the lookup ends at once; Switchboard
 * defines no such providers, and everything else is delegated unchanged.
 */
final class QuietServiceClassLoader extends ClassLoader {
    private static final String PROVIDERS = "META-INF/services/jakarta.enterprise.concurrent.spi.";

    QuietServiceClassLoader(ClassLoader application) {
        super(application);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        return name.startsWith(PROVIDERS) ? Collections.emptyEnumeration() : super.getResources(name);
    }

    @Override
    public URL getResource(String name) {
        return name.startsWith(PROVIDERS) ? null : super.getResource(name);
    }
}
