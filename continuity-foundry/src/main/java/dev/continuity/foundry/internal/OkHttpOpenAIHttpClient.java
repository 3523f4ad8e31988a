package dev.continuity.foundry.internal;

import com.openai.core.RequestOptions;
import com.openai.core.Timeout;
import com.openai.core.http.Headers;
import com.openai.core.http.HttpClient;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpRequestBody;
import com.openai.core.http.HttpResponse;
import com.openai.errors.OpenAIIoException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.EventListener;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * openai-java's {@link HttpClient} over OkHttp, as openai-java's own {@code OkHttpClient}, except that OkHttp
 * never sends a request again by itself ({@code retryOnConnectionFailure} off). With it on (OkHttp's default,
 * which openai-java's builder cannot change) a POST whose pooled connection is reset after the request was sent
 * is silently sent a second time: the service may hold the items, the conversation or the model call twice while
 * the caller sees one call, and a caller that resolves an ambiguous write by listing (as the replayer does) is
 * never told the write was ambiguous. openai-java's own retries (which this transport leaves to the client above
 * it) and Continuity's decide instead.
 *
 * <p>One case is still sent again, once, here: a request that could not be written whole on a connection taken
 * from the pool (the peer had closed it: a region that went dark resets its connections). The service never had
 * the whole request, so it cannot have acted on it; the second attempt gets a new connection, and a dark region
 * then refuses it (a failure nothing can have landed through). A request written whole whose answer is lost is
 * never sent again. Not part of the public API.
 */
public final class OkHttpOpenAIHttpClient implements HttpClient {

    private static final Logger LOG = LoggerFactory.getLogger(OkHttpOpenAIHttpClient.class);
    private static final byte[] NO_BYTES = new byte[0];
    private static final String READ_TIMEOUT_HEADER = "X-Stainless-Read-Timeout";
    private static final String TIMEOUT_HEADER = "X-Stainless-Timeout";

    private final OkHttpClient client;
    /** The client derived for the last request's time-out (see {@link #withTimeout}). */
    private volatile TimedClient timed;

    /** A client with {@code timeout} as connect, read, write and whole-call time-out (a request's own wins). */
    public OkHttpOpenAIHttpClient(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        this.client = new OkHttpClient.Builder()
                .retryOnConnectionFailure(false)
                .eventListenerFactory(call -> {
                    Attempt attempt = call.request().tag(Attempt.class);
                    return attempt != null ? attempt : EventListener.NONE;
                })
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .writeTimeout(timeout)
                .callTimeout(timeout)
                .build();
    }

    @Override
    public HttpResponse execute(HttpRequest request, RequestOptions options) {
        Request okRequest = toOkHttp(request);
        for (int attempt = 1; ; attempt++) {
            Attempt sent = new Attempt();
            try {
                return new OkResponse(newCall(okRequest, options, sent).execute());
            } catch (IOException e) {
                if (attempt == 1 && sent.neverWholeOnAPooledConnection()) {
                    LOG.debug("{} {}: not written whole on a pooled connection ({}); sending it on a new one",
                            okRequest.method(), okRequest.url().encodedPath(), e.toString());
                    continue;
                }
                throw new OpenAIIoException("Request failed", e); // as openai-java's own transport
            }
        }
    }

    @Override
    public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions options) {
        CompletableFuture<HttpResponse> future = new CompletableFuture<>();
        try {
            enqueue(toOkHttp(request), options, future, 1);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return future;
    }

    private void enqueue(Request okRequest, RequestOptions options, CompletableFuture<HttpResponse> future,
            int attempt) {
        Attempt sent = new Attempt();
        Call call = newCall(okRequest, options, sent);
        call.enqueue(new Callback() {
            @Override
            public void onResponse(Call c, Response response) {
                if (!future.complete(new OkResponse(response))) {
                    response.close();
                }
            }

            @Override
            public void onFailure(Call c, IOException e) {
                if (attempt == 1 && sent.neverWholeOnAPooledConnection() && !future.isDone()) {
                    enqueue(okRequest, options, future, attempt + 1);
                } else {
                    future.completeExceptionally(new OpenAIIoException("Request failed", e));
                }
            }
        });
        future.whenComplete((response, error) -> {
            if (future.isCancelled()) {
                call.cancel();
            }
        });
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    private Call newCall(Request request, RequestOptions options, Attempt attempt) {
        OkHttpClient forCall = withTimeout(options == null ? null : options.getTimeout());
        Request.Builder sent = request.newBuilder().tag(Attempt.class, attempt);
        // the headers openai-java's own OkHttp transport adds: the client's time-outs, in whole seconds
        if (request.header(READ_TIMEOUT_HEADER) == null && forCall.readTimeoutMillis() != 0) {
            sent.header(READ_TIMEOUT_HEADER, Long.toString(forCall.readTimeoutMillis() / 1000L));
        }
        if (request.header(TIMEOUT_HEADER) == null && forCall.callTimeoutMillis() != 0) {
            sent.header(TIMEOUT_HEADER, Long.toString(forCall.callTimeoutMillis() / 1000L));
        }
        return forCall.newCall(sent.build());
    }

    /**
     * The client with {@code timeout}'s time-outs ({@code null}: the client's own). openai-java passes the same
     * time-out with every request, so the derived client is kept for the next call rather than built per call.
     */
    private OkHttpClient withTimeout(Timeout timeout) {
        if (timeout == null) {
            return client;
        }
        TimedClient last = timed;
        if (last != null && last.timeout().equals(timeout)) {
            return last.client();
        }
        OkHttpClient derived = client.newBuilder()
                .connectTimeout(timeout.connect())
                .readTimeout(timeout.read())
                .writeTimeout(timeout.write())
                .callTimeout(timeout.request())
                .build();
        timed = new TimedClient(timeout, derived);
        return derived;
    }

    /** A client derived for one time-out. */
    private record TimedClient(Timeout timeout, OkHttpClient client) {
    }

    private static Request toOkHttp(HttpRequest request) {
        Request.Builder builder = new Request.Builder().url(OpenAIRequestUrl.of(request));
        Headers headers = request.headers();
        for (String name : headers.names()) {
            for (String value : headers.values(name)) {
                builder.addHeader(name, value);
            }
        }
        HttpRequestBody body = request.body();
        String method = request.method().name();
        RequestBody okBody = null;
        if (body != null) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            body.writeTo(bytes);
            okBody = RequestBody.create(bytes.toByteArray(),
                    body.contentType() == null ? null : MediaType.parse(body.contentType()));
        } else if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
            okBody = RequestBody.create(NO_BYTES, null);
        }
        return builder.method(method, okBody).build();
    }

    /**
     * What one attempt did on the wire: whether it took its connection from the pool (no connect) and whether
     * writing the request failed (OkHttp's {@code requestFailed}: not every byte of it left).
     */
    private static final class Attempt extends EventListener {
        private volatile boolean connected;
        private volatile boolean writeFailed;

        @Override
        public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
            connected = true;
        }

        @Override
        public void requestFailed(Call call, IOException ioe) {
            writeFailed = true;
        }

        /** True when the request never left whole, on a connection the pool handed out. */
        boolean neverWholeOnAPooledConnection() {
            return writeFailed && !connected;
        }
    }

    /** An OkHttp response seen as openai-java's. */
    private static final class OkResponse implements HttpResponse {
        private final Response response;
        private final Headers headers;

        OkResponse(Response response) {
            this.response = response;
            Headers.Builder builder = Headers.builder();
            for (String name : response.headers().names()) {
                builder.put(name, response.headers(name));
            }
            this.headers = builder.build();
        }

        @Override
        public int statusCode() {
            return response.code();
        }

        @Override
        public Headers headers() {
            return headers;
        }

        @Override
        public InputStream body() {
            return response.body() == null ? InputStream.nullInputStream() : response.body().byteStream();
        }

        @Override
        public void close() {
            response.close();
        }
    }
}
