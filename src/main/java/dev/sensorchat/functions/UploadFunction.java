package dev.sensorchat.functions;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BlobTrigger;
import com.microsoft.azure.functions.annotation.FunctionName;
import dev.sensorchat.AppContext;
import dev.sensorchat.blob.BlobNames;
import dev.sensorchat.blob.BlobStore;
import dev.sensorchat.ingest.UploadProcessor;
import dev.sensorchat.observability.Invocation;
import dev.sensorchat.observability.StoreUsage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Blob Storage → telemetry, for batch files uploaded by devices that were offline. The trigger
 * binds a {@link BlobClient} (an SDK-type binding) rather than the content, so the file is streamed
 * and never held in memory whole.
 */
public final class UploadFunction {

    private final Supplier<UploadProcessor> processor;
    private final Function<String, BlobStore> containers;

    public UploadFunction() {
        this(() -> AppContext.shared().uploads(), name -> AppContext.shared().blobStore(name));
    }

    UploadFunction(Supplier<UploadProcessor> processor, Function<String, BlobStore> containers) {
        this.processor = processor;
        this.containers = containers;
    }

    @FunctionName("uploads")
    public void run(
            @BlobTrigger(name = "blob", path = "%UPLOADS_CONTAINER%/{name}", connection = "DataStorage", source = "EventGrid")
                    BlobClient blob,
            ExecutionContext context) {
        try (Invocation invocation = Invocations.open(context)) {
            String name = blob.getBlobName();
            if (UploadProcessor.isReceipt(name)) {
                return; // our own receipts land in the same container
            }
            try {
                BlobNames.requireValidBlob(name);
            } catch (IllegalArgumentException e) {
                String letter = processor.get().rejectName(blob.getContainerName(), name, e.getMessage());
                context.getLogger().severe(() -> "upload not processed: its name breaks the naming rules; rename it to "
                        + "'/'-separated segments of letters, digits and ._:=- (dead letter " + letter + ")");
                return;
            }
            BlobProperties properties = blob.getProperties();
            UploadProcessor.Upload upload = new UploadProcessor.Upload(name, properties.getETag(), properties.getLastModified().toInstant());
            // Read exactly the version that triggered us; if it is replaced meanwhile, the new version triggers again.
            BlobInputStreamOptions options = new BlobInputStreamOptions()
                    .setRequestConditions(new BlobRequestConditions().setIfMatch(upload.etag()));
            UploadProcessor.Outcome outcome;
            try (InputStream content = blob.openInputStream(options)) {
                outcome = processor.get().process(upload, content, containers.apply(blob.getContainerName()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            StoreUsage.Counts store = invocation.store().total();
            context.getLogger().info(() -> "upload " + name + (outcome.alreadyProcessed() ? " already processed" : "")
                    + " lines=" + outcome.lines() + " accepted=" + outcome.accepted() + " rejected=" + outcome.rejected()
                    + (outcome.error() == null ? "" : " error=" + outcome.error()) + " receipt=" + outcome.receiptName()
                    + " cosmosRequests=" + store.requests()
                    + " cosmosRuCharged=" + String.format(java.util.Locale.ROOT, "%.2f", store.chargedRu()));
        }
    }
}
