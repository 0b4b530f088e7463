package dev.sensorchat.bench;

import com.espertech.esper.common.client.EPCompiled;
import com.espertech.esper.common.client.EventBean;
import com.espertech.esper.common.client.configuration.Configuration;
import com.espertech.esper.compiler.client.CompilerArguments;
import com.espertech.esper.compiler.client.EPCompileException;
import com.espertech.esper.compiler.client.EPCompilerProvider;
import com.espertech.esper.runtime.client.EPDeployException;
import com.espertech.esper.runtime.client.EPDeployment;
import com.espertech.esper.runtime.client.EPEventService;
import com.espertech.esper.runtime.client.EPRuntime;
import com.espertech.esper.runtime.client.EPRuntimeProvider;
import dev.sensorchat.telemetry.Reading;
import dev.sensorchat.telemetry.TelemetryLimits;
import dev.sensorchat.telemetry.TelemetryParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The peer: the same JSON, parsed and validated by the app's parser, then Esper 9 with an external
 * clock, one runtime per partition (as one consumer per partition would run it). The statements
 * are written for the app's semantics: 1-minute tumbling windows aligned to UTC per device, with
 * count, sum, min, max, first and last time and the last value of each metric; an alert at the
 * first reading above 30 of each run above it (it clears at 30 or below); and one at the third
 * reading in a row above 30, once per run ({@code match_recognize}, both as "a reading at 30 or
 * below, then ..."; every device of the workload starts below 30).
 */
final class EsperPipeline {

    /** The event as Esper sees it. */
    public static final class ReadingEvent {
        private final String deviceId;
        private final long ts;
        private final double temperature;
        private final double humidity;
        private final double co2;

        ReadingEvent(String deviceId, long ts, double temperature, double humidity, double co2) {
            this.deviceId = deviceId;
            this.ts = ts;
            this.temperature = temperature;
            this.humidity = humidity;
            this.co2 = co2;
        }

        public String getDeviceId() {
            return deviceId;
        }

        public long getTs() {
            return ts;
        }

        public double getTemperature() {
            return temperature;
        }

        public double getHumidity() {
            return humidity;
        }

        public double getCo2() {
            return co2;
        }
    }

    /** One minute of one device, as Esper computed it; per metric {count, sum, min, max, last}. */
    record Minute(String deviceId, long firstTs, long lastTs, double[][] metrics) {
    }

    /** An alert opening: which rule, which device, at which reading. */
    record Opening(String rule, String deviceId, long ts) {
    }

    static final String EPL = """
            @name('minutes') select deviceId, count(*) as n, min(ts) as firstTs, max(ts) as lastTs,
              sum(temperature) as tSum, min(temperature) as tMin, max(temperature) as tMax, last(temperature) as tLast,
              sum(humidity) as hSum, min(humidity) as hMin, max(humidity) as hMax, last(humidity) as hLast,
              sum(co2) as cSum, min(co2) as cMin, max(co2) as cMax, last(co2) as cLast
            from Reading#time_batch(1 min, 0L) group by deviceId having count(*) > 0;

            @name('over30') select * from Reading
            match_recognize (partition by deviceId measures A.deviceId as deviceId, A.ts as ts
              after match skip past last row pattern (B A)
              define B as B.temperature <= 30, A as A.temperature > 30);

            @name('threeOver30') select * from Reading
            match_recognize (partition by deviceId measures B.deviceId as deviceId, A[2].ts as ts
              after match skip past last row pattern (B A{3})
              define B as B.temperature <= 30, A as A.temperature > 30);
            """;

    private static final AtomicInteger RUNTIMES = new AtomicInteger();

    private final TelemetryParser parser = new TelemetryParser(TelemetryLimits.withLateness(Duration.ofMinutes(10)));
    private final List<EPRuntime> runtimes = new ArrayList<>();
    private final boolean collect;
    final List<Minute> minutes = new ArrayList<>();
    final List<Opening> openings = new ArrayList<>();
    long outputs;

    /** @param collect keep what the statements output (for the cross-check), or only count it */
    EsperPipeline(int partitions, boolean collect) {
        this.collect = collect;
        Configuration configuration = new Configuration();
        configuration.getCommon().addEventType("Reading", ReadingEvent.class);
        configuration.getRuntime().getThreading().setInternalTimerEnabled(false);
        EPCompiled compiled;
        try {
            compiled = EPCompilerProvider.getCompiler().compile(EPL, new CompilerArguments(configuration));
        } catch (EPCompileException e) {
            throw new IllegalStateException("the Esper statements do not compile: " + e.getMessage(), e);
        }
        for (int p = 0; p < partitions; p++) {
            EPRuntime runtime = EPRuntimeProvider.getRuntime("sensorchat-bench-" + RUNTIMES.incrementAndGet(), configuration);
            runtime.getEventService().advanceTime(Workload.T0);
            try {
                EPDeployment deployment = runtime.getDeploymentService().deploy(compiled);
                for (var statement : deployment.getStatements()) {
                    String name = statement.getName();
                    statement.addListener((newEvents, oldEvents, s, r) -> output(name, newEvents));
                }
            } catch (EPDeployException e) {
                throw new IllegalStateException(e);
            }
            runtimes.add(runtime);
        }
    }

    private void output(String statement, EventBean[] events) {
        if (events == null) {
            return;
        }
        outputs += events.length;
        if (!collect) {
            return;
        }
        for (EventBean event : events) {
            if (statement.equals("minutes")) {
                minutes.add(new Minute((String) event.get("deviceId"), (Long) event.get("firstTs"), (Long) event.get("lastTs"),
                        new double[][] {metric(event, "t"), metric(event, "h"), metric(event, "c")}));
            } else {
                openings.add(new Opening(statement.equals("over30") ? "over-30" : "three-over-30", (String) event.get("deviceId"),
                        (Long) event.get("ts")));
            }
        }
    }

    private static double[] metric(EventBean event, String prefix) {
        return new double[] {((Number) event.get("n")).doubleValue(), (Double) event.get(prefix + "Sum"), (Double) event.get(prefix + "Min"),
                (Double) event.get(prefix + "Max"), (Double) event.get(prefix + "Last")};
    }

    /** Parses and sends one partition's events; time follows the readings. */
    void run(int partition, List<Workload.Event> events) {
        EPEventService service = runtimes.get(partition).getEventService();
        long now = service.getCurrentTime();
        for (Workload.Event event : events) {
            TelemetryParser.Result result = parser.parse(event.body(), event.enqueuedMs());
            if (!(result instanceof TelemetryParser.Accepted accepted)) {
                continue;
            }
            for (Reading reading : accepted.event().readings()) {
                if (reading.timestampMs() > now) {
                    now = reading.timestampMs();
                    service.advanceTime(now);
                }
                service.sendEventBean(new ReadingEvent(accepted.event().deviceId(), reading.timestampMs(), reading.valueOf("temperature"),
                        reading.valueOf("humidity"), reading.valueOf("co2")), "Reading");
            }
        }
    }

    /** Ends the last windows: time moves a minute on. */
    void finish() {
        for (EPRuntime runtime : runtimes) {
            EPEventService service = runtime.getEventService();
            service.advanceTime(service.getCurrentTime() + 60_000);
        }
    }

    void close() {
        runtimes.forEach(EPRuntime::destroy);
    }
}
