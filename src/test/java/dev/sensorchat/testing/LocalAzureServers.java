package dev.sensorchat.testing;

/** A running set of local Azure stand-ins, stopped by {@link #close()}. */
interface LocalAzureServers extends AutoCloseable {

    LocalAzure endpoints();

    @Override
    void close();
}
