package dev.switchboard.chat.infrastructure.realtime;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SocketWorkTest {

    @Test
    void runsOneSocketsTasksInOrderOneAtATimeWhileSocketsRunInParallel() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<SocketWork> sockets = List.of(new SocketWork(pool), new SocketWork(pool), new SocketWork(pool));
            List<ConcurrentLinkedQueue<Integer>> done = List.of(new ConcurrentLinkedQueue<>(),
                    new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>());
            AtomicInteger[] running = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
            AtomicInteger overlaps = new AtomicInteger();
            CountDownLatch all = new CountDownLatch(3 * SocketWork.MAX_PENDING);
            for (int i = 0; i < SocketWork.MAX_PENDING; i++) {
                for (int s = 0; s < 3; s++) {
                    int socket = s;
                    int n = i;
                    sockets.get(s).submit(() -> {
                        if (running[socket].incrementAndGet() > 1) {
                            overlaps.incrementAndGet();
                        }
                        done.get(socket).add(n);
                        running[socket].decrementAndGet();
                        all.countDown();
                    });
                }
            }
            assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(overlaps).hasValue(0);
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < SocketWork.MAX_PENDING; i++) {
                expected.add(i);
            }
            done.forEach(d -> assertThat(d).containsExactlyElementsOf(expected));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesASocketWithTooMuchWaitingAndRecoversOnceItDrains() throws Exception {
        List<Runnable> queued = new ArrayList<>();
        SocketWork work = new SocketWork(queued::add); // a pool that runs nothing until told
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < SocketWork.MAX_PENDING; i++) {
            work.submit(ran::incrementAndGet);
        }
        assertThatThrownBy(() -> work.submit(ran::incrementAndGet)).isInstanceOf(RejectedExecutionException.class);
        assertThat(queued).hasSize(1); // one drain for the socket, however many tasks
        queued.remove(0).run();
        assertThat(ran).hasValue(SocketWork.MAX_PENDING);
        work.submit(ran::incrementAndGet);
        queued.remove(0).run();
        assertThat(ran).hasValue(SocketWork.MAX_PENDING + 1);
    }
}
