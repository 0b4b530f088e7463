package dev.sensorchat.localhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimerTriggersTest {

    /** The function under the timer: records the TimerInfo it got. */
    public static final class Ticked {
        static final List<String> RUNS = new CopyOnWriteArrayList<>();

        @FunctionName("ticked")
        public void run(@TimerTrigger(name = "timer", schedule = "%EVERY%") String timer, ExecutionContext context) {
            RUNS.add(timer);
        }
    }

    static final class MovableClock extends Clock {
        volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @TempDir
    Path state;

    private static FunctionDefinition ticked(boolean runOnStartup) throws Exception {
        return new FunctionDefinition("ticked", null, Ticked.class.getName(), "run", List.of(new ObjectMapper().readTree(
                "{\"type\": \"timerTrigger\", \"direction\": \"in\", \"name\": \"timer\", \"schedule\": \"%EVERY%\", \"runOnStartup\": "
                        + runOnStartup + "}")), null);
    }

    private TimerTriggers timers(MovableClock clock, boolean runOnStartup) throws Exception {
        FunctionInvoker invoker = new FunctionInvoker(getClass().getClassLoader(), new PrintStream(new ByteArrayOutputStream()));
        return new TimerTriggers(List.of(ticked(runOnStartup)), new HostSettings(Map.of("EVERY", "0 */5 * * * *"), 0), state, invoker, clock,
                System.out);
    }

    private static boolean pastDue(String timerInfo) throws Exception {
        return new ObjectMapper().readTree(timerInfo).get("IsPastDue").asBoolean();
    }

    @Test
    void eachOccurrenceFiresOnceAndDowntimeFiresOncePastDue() throws Exception {
        Ticked.RUNS.clear();
        MovableClock clock = new MovableClock(Instant.parse("2026-11-22T10:01:00Z"));
        try (TimerTriggers timers = timers(clock, false)) {
            timers.start();
            timers.tick();
            assertTrue(Ticked.RUNS.isEmpty(), "nothing before 10:05");
            clock.now = Instant.parse("2026-11-22T10:05:00.400Z");
            timers.tick();
            timers.tick();
            assertEquals(1, Ticked.RUNS.size(), "10:05 fires once");
            assertFalse(pastDue(Ticked.RUNS.get(0)));
        }
        // The host was down from 10:06 to 10:27: on restart the missed occurrences fire once, past due.
        MovableClock later = new MovableClock(Instant.parse("2026-11-22T10:27:00Z"));
        try (TimerTriggers timers = timers(later, false)) {
            timers.start();
            timers.tick();
            timers.tick();
            assertEquals(2, Ticked.RUNS.size());
            assertTrue(pastDue(Ticked.RUNS.get(1)));
            assertTrue(Ticked.RUNS.get(1).contains("\"Last\":\"2026-11-22T10:25:00Z\""), Ticked.RUNS.get(1));
        }
    }

    @Test
    void runOnStartupAndRunNow() throws Exception {
        Ticked.RUNS.clear();
        MovableClock clock = new MovableClock(Instant.parse("2026-11-22T10:01:00Z"));
        try (TimerTriggers timers = timers(clock, true)) {
            timers.start();
            assertEquals(1, Ticked.RUNS.size());
            assertTrue(timers.runNow("ticked"));
            assertFalse(timers.runNow("other"));
            assertEquals(2, Ticked.RUNS.size());
        }
    }
}
