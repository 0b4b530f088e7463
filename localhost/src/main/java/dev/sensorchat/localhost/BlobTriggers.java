package dev.sensorchat.localhost;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Blob triggers: watches each trigger's container and runs the function once per blob and ETag.
 * As the Functions host does, it keeps a receipt per function, blob and ETag in the host's own
 * storage ({@code AzureWebJobsStorage}, container {@code azure-webjobs-hosts}, under
 * {@code blobreceipts/}), so a blob never triggers twice for one version, across restarts too. A
 * blob that keeps failing is given up after {@code poisonBlobThreshold} attempts (host.json).
 */
final class BlobTriggers implements AutoCloseable {

    static final String HOST_ID = "sensorchat-localhost";
    private static final Pattern NAME_PARAMETER = Pattern.compile("\\{([A-Za-z0-9_]+)}");

    private record Watch(FunctionDefinition function, BlobContainerClient container, Pattern pattern, List<String> parameters,
                         String bindingName, Class<?> parameterType) {
    }

    private final List<Watch> watches = new ArrayList<>();
    private final BlobContainerClient receipts;
    private final FunctionInvoker invoker;
    private final PrintStream log;
    private final int poisonThreshold;
    private final Map<String, Integer> failures = new java.util.concurrent.ConcurrentHashMap<>();
    private final Semaphore parallelism;
    private final ExecutorService workers = Executors.newCachedThreadPool(Threads.daemon("blob-trigger"));
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(Threads.daemon("blob-poller"));
    private final java.util.Set<String> running = java.util.concurrent.ConcurrentHashMap.newKeySet();

    BlobTriggers(List<FunctionDefinition> functions, HostSettings settings, Connections connections, JsonNode hostJson,
                 FunctionInvoker invoker, PrintStream log) {
        this.invoker = invoker;
        this.log = log;
        JsonNode blobs = hostJson.path("extensions").path("blobs");
        this.poisonThreshold = blobs.path("poisonBlobThreshold").asInt(5);
        this.parallelism = new Semaphore(blobs.path("maxDegreeOfParallelism").asInt(8));
        this.receipts = functions.isEmpty() ? null : connections.storage("AzureWebJobsStorage").getBlobContainerClient("azure-webjobs-hosts");
        for (FunctionDefinition function : functions) {
            JsonNode trigger = function.trigger();
            String where = "function '" + function.name() + "' path";
            String path = settings.resolve(trigger.path("path").asText(), where);
            int slash = path.indexOf('/');
            if (slash <= 0) {
                throw new IllegalStateException(where + " '" + path + "' is not <container>/<blob pattern>");
            }
            List<String> parameters = new ArrayList<>();
            Matcher names = NAME_PARAMETER.matcher(path.substring(slash + 1));
            StringBuilder regex = new StringBuilder("^");
            int last = 0;
            while (names.find()) {
                regex.append(Pattern.quote(path.substring(slash + 1).substring(last, names.start()))).append("(.+)");
                parameters.add(names.group(1));
                last = names.end();
            }
            regex.append(Pattern.quote(path.substring(slash + 1).substring(last))).append('$');
            String connection = trigger.path("connection").asText("AzureWebJobsStorage");
            String bindingName = trigger.path("name").asText();
            watches.add(new Watch(function, connections.storage(connection).getBlobContainerClient(path.substring(0, slash)),
                    Pattern.compile(regex.toString()), List.copyOf(parameters), bindingName, invoker.parameterType(function, bindingName)));
        }
    }

    void start() {
        if (watches.isEmpty()) {
            return;
        }
        receipts.createIfNotExists();
        watches.forEach(watch -> watch.container().createIfNotExists());
        poller.scheduleWithFixedDelay(this::scan, 0, 2, TimeUnit.SECONDS);
    }

    /** One pass over every watched container: each new blob version not yet receipted runs once. */
    void scan() {
        for (Watch watch : watches) {
            try {
                for (BlobItem item : watch.container().listBlobs(new ListBlobsOptions(), null)) {
                    Matcher match = watch.pattern().matcher(item.getName());
                    if (!match.matches()) {
                        continue;
                    }
                    String etag = item.getProperties().getETag();
                    BlobClient receipt = receipts.getBlobClient(receiptName(watch, item.getName(), etag));
                    String key = receipt.getBlobName();
                    if (running.contains(key) || receipt.exists()) {
                        continue;
                    }
                    running.add(key);
                    Map<String, Object> metadata = new HashMap<>();
                    for (int i = 0; i < watch.parameters().size(); i++) {
                        metadata.put(watch.parameters().get(i), match.group(i + 1));
                    }
                    metadata.put("BlobTrigger", watch.container().getBlobContainerName() + "/" + item.getName());
                    parallelism.acquireUninterruptibly();
                    workers.submit(() -> {
                        try {
                            run(watch, item.getName(), receipt, metadata);
                        } finally {
                            running.remove(key);
                            parallelism.release();
                        }
                    });
                }
            } catch (RuntimeException e) {
                log.println("blob trigger " + watch.function().name() + ": cannot list " + watch.container().getBlobContainerName() + ": " + e);
            }
        }
    }

    private void run(Watch watch, String name, BlobClient receipt, Map<String, Object> metadata) {
        BlobClient blob = watch.container().getBlobClient(name);
        metadata.put("Uri", blob.getBlobUrl());
        try {
            Object value = watch.parameterType().isInstance(blob) ? blob
                    : watch.parameterType() == byte[].class ? blob.downloadContent().toBytes()
                    : blob.downloadContent().toString();
            invoker.invoke(watch.function(), Map.of(watch.bindingName(), value), metadata);
            writeReceipt(receipt, "done");
            failures.remove(receipt.getBlobName());
        } catch (FunctionInvoker.InvocationFailed e) {
            int attempts = failures.merge(receipt.getBlobName(), 1, Integer::sum);
            if (attempts >= poisonThreshold) {
                writeReceipt(receipt, "poison");
                log.println("blob trigger " + watch.function().name() + ": " + name + " failed " + attempts
                        + " times; given up (poisonBlobThreshold), invocation " + e.invocationId());
            }
        } catch (BlobStorageException e) {
            log.println("blob trigger " + watch.function().name() + ": cannot read " + name + ": " + e.getMessage());
        }
    }

    private static void writeReceipt(BlobClient receipt, String outcome) {
        receipt.upload(BinaryData.fromString("{\"outcome\":\"" + outcome + "\"}"), true);
    }

    /** {@code blobreceipts/<host>/<function>/<etag>/<container>/<name>}, as the Functions host names them. */
    private static String receiptName(Watch watch, String blobName, String etag) {
        return "blobreceipts/" + HOST_ID + "/" + watch.function().name() + "/" + URLEncoder.encode(etag, StandardCharsets.UTF_8)
                + "/" + watch.container().getBlobContainerName() + "/" + blobName;
    }


    @Override
    public void close() {
        poller.shutdownNow();
        workers.shutdown();
        try {
            workers.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
