package dev.sensorchat.storage;

import com.azure.cosmos.models.SqlParameter;
import com.azure.cosmos.models.SqlQuerySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A parameterised Cosmos DB SQL query. Values only ever travel as parameters ({@code @name}),
 * never spliced into the text. Scope it to one partition with {@link #inPartition} whenever the
 * caller knows the partition key: that query touches one partition instead of all.
 */
public final class SqlQuery {

    private final String text;
    private final List<SqlParameter> parameters = new ArrayList<>();
    private String partitionKey;

    private SqlQuery(String text) {
        this.text = Objects.requireNonNull(text);
    }

    public static SqlQuery of(String text) {
        return new SqlQuery(text);
    }

    public SqlQuery with(String name, Object value) {
        if (!name.matches("@[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("Parameter names look like @name: " + name);
        }
        if (!text.contains(name)) {
            throw new IllegalArgumentException("The query does not use parameter " + name);
        }
        parameters.add(new SqlParameter(name, value));
        return this;
    }

    public SqlQuery inPartition(String partitionKeyValue) {
        this.partitionKey = Objects.requireNonNull(partitionKeyValue);
        return this;
    }

    String partitionKey() {
        return partitionKey;
    }

    SqlQuerySpec toSpec() {
        return new SqlQuerySpec(text, parameters);
    }

    @Override
    public String toString() {
        return text + (partitionKey == null ? " (all partitions)" : " (one partition)");
    }
}
