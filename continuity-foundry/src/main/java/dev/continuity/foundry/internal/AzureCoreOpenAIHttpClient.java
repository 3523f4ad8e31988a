package dev.continuity.foundry.internal;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpPipeline;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.openai.core.RequestOptions;
import com.openai.core.http.Headers;
import com.openai.core.http.HttpClient;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpRequestBody;
import com.openai.core.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * openai-java's {@link HttpClient} over an azure-core {@link HttpPipeline}: lets the OpenAI client send its
 * requests through the same azure-core HTTP client, proxy and logging as the agents client. openai-java keeps
 * doing its own retries, headers and credential; the pipeline adds no retry. Response bodies are streamed
 * (server-sent events arrive as they are sent). Not part of the public API.
 */
public final class AzureCoreOpenAIHttpClient implements HttpClient {
    private final HttpPipeline pipeline;
    private volatile boolean closed;

    /** @param pipeline the pipeline every request goes through (its last stage is the HTTP client) */
    public AzureCoreOpenAIHttpClient(HttpPipeline pipeline) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    }

    @Override
    public HttpResponse execute(HttpRequest request, RequestOptions options) {
        requireOpen();
        return new Response(pipeline.sendSync(toAzure(request), Context.NONE));
    }

    @Override
    public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions options) {
        com.azure.core.http.HttpRequest azure;
        try {
            requireOpen();
            azure = toAzure(request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return pipeline.send(azure).<HttpResponse>map(Response::new).toFuture();
    }

    @Override
    public void close() {
        // the azure-core HTTP client has no lifecycle of its own; this client refuses calls from here on
        closed = true;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the OpenAI client is closed");
        }
    }

    private static com.azure.core.http.HttpRequest toAzure(HttpRequest request) {
        com.azure.core.http.HttpRequest azure = new com.azure.core.http.HttpRequest(
                com.azure.core.http.HttpMethod.valueOf(request.method().name()), OpenAIRequestUrl.of(request));
        Headers headers = request.headers();
        for (String name : headers.names()) {
            azure.getHeaders().set(HttpHeaderName.fromString(name), headers.values(name));
        }
        HttpRequestBody body = request.body();
        if (body != null) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            body.writeTo(bytes);
            if (body.contentType() != null) {
                azure.getHeaders().set(HttpHeaderName.CONTENT_TYPE, body.contentType());
            }
            azure.setBody(BinaryData.fromBytes(bytes.toByteArray()));
        }
        return azure;
    }

    /** An azure-core response seen as openai-java's. */
    private static final class Response implements HttpResponse {
        private final com.azure.core.http.HttpResponse response;
        private final Headers headers;
        private InputStream body;

        Response(com.azure.core.http.HttpResponse response) {
            this.response = response;
            Headers.Builder builder = Headers.builder();
            response.getHeaders().forEach(h -> builder.put(h.getName(), h.getValuesList()));
            this.headers = builder.build();
        }

        @Override
        public int statusCode() {
            return response.getStatusCode();
        }

        @Override
        public Headers headers() {
            return headers;
        }

        @Override
        public synchronized InputStream body() {
            if (body == null) {
                body = new FluxInputStream(response.getBody());
            }
            return body;
        }

        @Override
        public void close() {
            try {
                if (body != null) {
                    body.close();
                }
            } catch (java.io.IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                response.close();
            }
        }
    }
}
