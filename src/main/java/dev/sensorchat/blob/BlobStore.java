package dev.sensorchat.blob;

import dev.sensorchat.ingest.DeadLetters;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.azure.storage.blob.options.BlockBlobOutputStreamOptions;
import com.azure.storage.blob.models.UserDelegationKey;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The blobs of one container. Names are validated by {@link BlobNames}. Transient failures are
 * retried by the Blob SDK's own retry policy.
 */
public final class BlobStore implements DeadLetters {

    private final BlobContainerClient container;

    public BlobStore(BlobContainerClient container) {
        this.container = container;
    }

    public String containerName() {
        return container.getBlobContainerName();
    }

    /** Whether the container exists: one cheap call, also a reachability check. */
    public boolean exists() {
        return container.exists();
    }

    /** Writes the blob, replacing any previous content. */
    public void put(String name, byte[] content, String contentType, Map<String, String> metadata) {
        upload(name, content, contentType, metadata, null);
    }

    /**
     * Writes the blob only if no blob of that name exists, so that a retried write has no second
     * effect. Returns false when it already existed (and leaves it untouched).
     */
    @Override
    public boolean putIfAbsent(String name, byte[] content, String contentType, Map<String, String> metadata) {
        try {
            upload(name, content, contentType, metadata, new BlobRequestConditions().setIfNoneMatch("*"));
            return true;
        } catch (BlobStorageException e) {
            if (e.getErrorCode() == BlobErrorCode.BLOB_ALREADY_EXISTS || e.getStatusCode() == 409) {
                return false;
            }
            throw e;
        }
    }

    public Optional<byte[]> get(String name) {
        try {
            return Optional.of(blob(name).downloadContent().toBytes());
        } catch (BlobStorageException e) {
            if (e.getErrorCode() == BlobErrorCode.BLOB_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Streams a new version of the blob; it replaces the old one when the stream is closed.
     * For content too large to hold in memory.
     */
    public OutputStream openForWrite(String name, String contentType) {
        return blob(name).getBlockBlobClient().getBlobOutputStream(new BlockBlobOutputStreamOptions()
                .setHeaders(new BlobHttpHeaders().setContentType(contentType)));
    }

    /** The SDK client of one blob, e.g. for the streaming reads of a blob-triggered function. */
    public BlobClient client(String name) {
        return blob(name);
    }

    /**
     * A read-only link to the blob that expires after {@code ttl}: a service SAS when the client holds
     * the account key (the local emulator), else a user-delegation SAS, signed with a key Storage
     * issues to the app's identity (its Storage Blob Data role includes getting that key).
     */
    public String readLink(String name, Duration ttl) {
        BlobClient blob = blob(name);
        OffsetDateTime expiry = OffsetDateTime.now(ZoneOffset.UTC).plus(ttl);
        BlobServiceSasSignatureValues values = new BlobServiceSasSignatureValues(expiry, new BlobSasPermission().setReadPermission(true));
        String sas;
        try {
            sas = blob.generateSas(values);
        } catch (IllegalStateException signedInWithAnIdentity) {
            OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(5); // tolerate clock skew
            UserDelegationKey key = container.getServiceClient().getUserDelegationKey(start, expiry);
            sas = blob.generateUserDelegationSas(values.setStartTime(start), key);
        }
        return blob.getBlobUrl() + "?" + sas;
    }

    public Map<String, String> metadata(String name) {
        return blob(name).getProperties().getMetadata();
    }

    /** Deletes the blobs under {@code prefix} last written before {@code cutoff}; returns how many. */
    public int deleteOlderThan(String prefix, Instant cutoff) {
        int deleted = 0;
        for (BlobItem item : container.listBlobs(new ListBlobsOptions().setPrefix(prefix), null)) {
            if (item.getProperties().getLastModified().toInstant().isBefore(cutoff)) {
                container.getBlobClient(item.getName()).deleteIfExists();
                deleted++;
            }
        }
        return deleted;
    }

    /** Names of the blobs under {@code prefix} (use "" for all), in name order. */
    public List<String> list(String prefix) {
        return container.listBlobs(new ListBlobsOptions().setPrefix(prefix), null).stream()
                .map(item -> item.getName())
                .toList();
    }

    private void upload(String name, byte[] content, String contentType, Map<String, String> metadata,
                        BlobRequestConditions conditions) {
        BlobParallelUploadOptions options = new BlobParallelUploadOptions(BinaryData.fromBytes(content))
                .setHeaders(new BlobHttpHeaders().setContentType(contentType))
                .setMetadata(metadata.isEmpty() ? null : metadata);
        if (conditions != null) {
            options.setRequestConditions(conditions);
        }
        blob(name).uploadWithResponse(options, null, null);
    }

    private BlobClient blob(String name) {
        return container.getBlobClient(BlobNames.requireValidBlob(name));
    }
}
