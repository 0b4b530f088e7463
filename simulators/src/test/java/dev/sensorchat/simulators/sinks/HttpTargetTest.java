package dev.sensorchat.simulators.sinks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.sensorchat.simulators.SimulatorsCli;
import dev.sensorchat.simulators.devices.SimEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The http target against a real local HTTP server, as the local host's Event Hubs endpoint would receive it. */
class HttpTargetTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    private final List<String> received = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger requests = new AtomicInteger();
    private final List<Integer> batchBodies = Collections.synchronizedList(new ArrayList<>());
    /** Status codes to answer with first, in turn, before answering 202. */
    private final List<Integer> script = Collections.synchronizedList(new ArrayList<>());

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/admin/eventhubs/telemetry", exchange -> {
            requests.incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status = script.isEmpty() ? 202 : script.remove(0);
            if (status == 202 && "application/vnd.microsoft.servicebus.json".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
                assertEquals(null, exchange.getRequestURI().getQuery(), "each message names its partition key");
                assertTrue(body.length <= HttpSink.MAX_BATCH_BYTES, "a batch is at most 1 MB: " + body.length);
                batchBodies.add(body.length);
                for (var message : JSON.readTree(body)) {
                    String event = message.get("Body").asText();
                    String key = message.get("BrokerProperties").get("PartitionKey").asText();
                    assertTrue(event.startsWith("{\"deviceId\":\"" + key), "the partition key is the device: " + event);
                    received.add(event);
                }
            } else if (status == 202) {
                String key = URLDecoder.decode(exchange.getRequestURI().getQuery().replaceFirst("^partitionKey=", ""), StandardCharsets.UTF_8);
                assertEquals("application/x-ndjson", exchange.getRequestHeaders().getFirst("Content-Type"));
                for (String event : new String(body, StandardCharsets.UTF_8).split("\n")) {
                    assertTrue(event.startsWith("{\"deviceId\":\"" + key), "the partition key is the device: " + event);
                    received.add(event);
                }
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/admin/eventhubs/telemetry";
    }

    private int run(Path expected, String... extra) {
        List<String> defaults = List.of("--devices", "12", "--duration", "10m", "--speed", "0", "--seed", "4",
                "--start", "2026-11-22T00:00:00Z", "--batch-size", "50", "--malformed-rate", "0.05", "--duplicate-rate", "0.05");
        List<String> args = new ArrayList<>(List.of("devices"));
        for (int i = 0; i < defaults.size(); i += 2) { // an option in extra replaces its default
            if (!List.of(extra).contains(defaults.get(i))) {
                args.addAll(defaults.subList(i, i + 2));
            }
        }
        args.addAll(List.of(extra));
        if (expected != null) { // the same run to a file, for comparison
            List<String> toFile = new ArrayList<>(args);
            toFile.addAll(List.of("--target", "file", "--file", expected.toString()));
            assertEquals(0, SimulatorsCli.commandLine().execute(toFile.toArray(String[]::new)));
        }
        args.addAll(List.of("--target", "http", "--url", url()));
        PrintStream err = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            return SimulatorsCli.commandLine().execute(args.toArray(String[]::new));
        } finally {
            System.setErr(err);
        }
    }

    @Test
    void everyEventArrivesOnceInOrderPerDeviceWithTheDeviceAsPartitionKey() throws Exception {
        Path expected = dir.resolve("expected.ndjson");
        assertEquals(0, run(expected));
        List<String> sent = Files.readAllLines(expected); // malformed events included, as they are
        assertEquals(sent.stream().sorted().toList(), received.stream().sorted().toList());
        assertTrue(sent.size() > 12 * 55);
        for (String device : List.of("thermostat-1", "air-2", "machine-3")) {
            assertEquals(sent.stream().filter(line -> line.startsWith("{\"deviceId\":\"" + device + "\"")).toList(),
                    received.stream().filter(line -> line.startsWith("{\"deviceId\":\"" + device + "\"")).toList(), "in order");
        }
    }

    @Test
    void inEventHubsBatchesManyDevicesShareARequestEachEventKeyedByItsDeviceInOrder() throws Exception {
        Path expected = dir.resolve("expected.ndjson");
        assertEquals(0, run(expected, "--http-format", "batch"));
        List<String> sent = Files.readAllLines(expected); // malformed events included: a Body is any text
        assertEquals(sent.stream().sorted().toList(), received.stream().sorted().toList());
        for (String device : List.of("thermostat-1", "air-2", "machine-3")) {
            assertEquals(sent.stream().filter(line -> line.startsWith("{\"deviceId\":\"" + device + "\"")).toList(),
                    received.stream().filter(line -> line.startsWith("{\"deviceId\":\"" + device + "\"")).toList(), "in order");
        }
        // Batches of 50 events over 4 senders: a request per sender and send, not one per device.
        assertTrue(requests.get() < sent.size() / 5, requests.get() + " requests for " + sent.size() + " events");
    }

    @Test
    void aBatchOverOneMegabyteIsSplitIntoRequestsThatEachFit() throws Exception {
        // 72,000 events in sends of 20,000 on one sender: about 4 MB a send, so several requests each.
        Path expected = dir.resolve("expected.ndjson");
        assertEquals(0, run(expected, "--http-format", "batch", "--http-streams", "1", "--devices", "200", "--duration", "60m",
                "--batch-size", "20000"));
        assertEquals(Files.readAllLines(expected).stream().sorted().toList(), received.stream().sorted().toList());
        // Each at most 1 MB (checked as they arrive), and filled: all but each send's last are over 900 KB.
        long full = batchBodies.stream().filter(bytes -> bytes > 900 * 1024).count();
        assertTrue(batchBodies.size() >= 8 && full >= batchBodies.size() - 4, batchBodies.toString());
    }

    @Test
    void throttlingAndServerErrorsAreRetriedWithoutLosingOrDoublingEvents() throws Exception {
        script.addAll(List.of(429, 503, 500));
        Path expected = dir.resolve("expected.ndjson");
        assertEquals(0, run(expected));
        assertEquals(Files.readAllLines(expected).stream().sorted().toList(), received.stream().sorted().toList());
        assertTrue(requests.get() > 3);
    }

    @Test
    void aRefusalIsReportedAsFailedAndTheRunExitsWithOne() {
        script.addAll(Collections.nCopies(1_000, 400));
        assertEquals(1, run(null, "--events", "30"));
        assertTrue(received.isEmpty());
    }

    @Test
    void devicesAreSentConcurrentlyOverStreamsEachDeviceInOrder() throws Exception {
        // A slow endpoint that takes requests in parallel: the sink must not wait for one before the next.
        HttpServer slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        slow.setExecutor(Executors.newFixedThreadPool(8));
        slow.createContext("/", exchange -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            got.addAll(List.of(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("\n")));
            inFlight.decrementAndGet();
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        slow.start();
        try {
            Outcomes outcomes = new Outcomes();
            List<SimEvent> batch = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String device = "d-" + (i % 8);
                batch.add(new SimEvent(device, i, i, new String[0], new double[0],
                        "{\"deviceId\":\"" + device + "\",\"n\":" + i + "}", true, null));
            }
            try (HttpSink sink = new HttpSink(URI.create("http://127.0.0.1:" + slow.getAddress().getPort() + "/"), outcomes, 4, HttpSink.Format.NDJSON)) {
                sink.send(batch);
            }
            assertEquals(40, outcomes.acknowledged());
            assertTrue(mostInFlight.get() >= 2, "at most " + mostInFlight.get() + " request(s) at a time");
            assertTrue(mostInFlight.get() <= 4, "never more than the streams");
            for (int d = 0; d < 8; d++) {
                String device = "d-" + d;
                List<String> ordered = batch.stream().filter(e -> e.deviceId().equals(device)).map(e -> e.line()).toList();
                assertEquals(ordered, got.stream().filter(line -> line.contains("\"" + device + "\"")).toList(), "in order for " + device);
            }
        } finally {
            slow.stop(0);
        }
    }
}
