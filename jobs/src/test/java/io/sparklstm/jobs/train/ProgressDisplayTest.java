package io.sparklstm.jobs.train;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressDisplayTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong clock = new AtomicLong();

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void redrawsOneLineWithTheBarAndTheTimeLeftOfTheWholeRun() {
        ProgressDisplay progress = new ProgressDisplay(out, clock::get, true, 0, 4);
        progress.epochStarted(1, 4);
        clock.set(30_000_000_000L); // 30 s in; 1.5 of 4 epochs done after the next call
        progress.roundDone(2, 640);
        String text = written();
        String last = text.substring(text.lastIndexOf('\r') + 1);
        assertTrue(last.startsWith("epoch 2/4 [############............] round 2/4, 640 examples, 30s elapsed, "
                + "50s left"), last);
        assertEquals(-1, text.indexOf('\n'), "never a new line: the line is redrawn in place");
    }

    @Test
    void aResumedRunEstimatesFromWhereItResumed() {
        ProgressDisplay progress = new ProgressDisplay(out, clock::get, true, 8, 10);
        progress.epochStarted(8, 2);
        clock.set(90_000_000_000L);
        progress.roundDone(2, 10); // epoch 9 of 10 done: one of two epochs of this session
        String text = written();
        assertTrue(text.endsWith("round 2/2, 10 examples, 1m30s elapsed, 1m30s left"), text);
    }

    @Test
    void clearBlanksTheLineSoThatALogLineCanFollow() {
        ProgressDisplay progress = new ProgressDisplay(out, clock::get, true, 0, 1);
        progress.epochStarted(0, 1);
        int drawn = written().length();
        progress.clear();
        String cleared = written().substring(drawn);
        assertTrue(cleared.startsWith("\r") && cleared.endsWith("\r") && cleared.strip().isEmpty(), cleared);
        assertEquals(drawn - 1 + 2, cleared.length(), "as many blanks as the line had characters");
    }

    @Test
    void disabledWritesNothing() {
        ProgressDisplay progress = new ProgressDisplay(out, clock::get, false, 0, 3);
        progress.epochStarted(0, 5);
        progress.roundDone(3, 100);
        progress.clear();
        assertEquals("", written());
    }

    @Test
    void durationsReadLikeAClock() {
        assertEquals("59s", ProgressDisplay.duration(59.4));
        assertEquals("1m15s", ProgressDisplay.duration(75));
        assertEquals("1h01m", ProgressDisplay.duration(3700));
    }
}
