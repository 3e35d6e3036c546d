package dev.switchboard.container;

import org.junit.jupiter.api.Test;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class TyrusIdleTimerTest {
    /** Stands in for Tyrus's BaseContainer: the field is declared in a superclass of the runtime class. */
    static class ContainerBase {
        private ScheduledExecutorService managedScheduledExecutorService = Executors.newSingleThreadScheduledExecutor();

        ScheduledExecutorService scheduler() {
            return managedScheduledExecutorService;
        }
    }

    static final class Container extends ContainerBase {
    }

    @Test
    void theContainersSchedulerIsReplacedByOneThatNeverRunsItsTasks() throws Exception {
        Container container = new Container();
        ScheduledExecutorService original = container.scheduler();

        boolean installed = EngineWebSocketEndpoint.TyrusIdleTimer.install(container, "managedScheduledExecutorService");
        assertThat(installed).isTrue();

        ScheduledExecutorService replaced = container.scheduler();
        assertThat(replaced).isNotSameAs(original);
        AtomicBoolean ran = new AtomicBoolean();
        ScheduledFuture<?> future = replaced.schedule(() -> ran.set(true), 0, TimeUnit.MILLISECONDS);
        assertThat(future.isCancelled()).isTrue();
        assertThat(future.cancel(false)).isFalse();
        original.shutdownNow();
        assertThat(original.awaitTermination(1, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).isFalse();
    }

    @Test
    void aContainerWithoutTheFieldIsLeftAlone() {
        Object other = new Object();
        assertThat(EngineWebSocketEndpoint.TyrusIdleTimer.install(other, "managedScheduledExecutorService")).isFalse();
    }
}
