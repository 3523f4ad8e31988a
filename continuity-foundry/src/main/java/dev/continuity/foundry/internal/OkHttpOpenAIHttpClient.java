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
import java.net.SocketException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Connection;
import okhttp3.EventListener;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
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
 * <p>One case is still sent again, once, here: a request that could not be written whole on an HTTP/1.1
 * connection taken from the pool because the peer had closed it (a reset or a broken pipe: a region that went dark
 * resets its connections). On HTTP/1.1 a request is on the wire only once its last byte is written, so the service
 * never had it and cannot have acted on it; the second attempt gets a new connection, and a dark region then refuses
 * it (a failure nothing can have landed through; the first failure is kept as a suppressed exception). A request
 * written whole whose answer is lost is never sent again, nor one whose write timed out or was cancelled, nor one
 * on an HTTP/2 connection (several requests share its writes, and a write can fail after the request went out).
 *
 * <p>OkHttp's other follow-ups are off too: redirects are not followed (an API call is never redirected; a
 * redirect would send the body and the credentials again, possibly to another host), and a 503 that asks for an
 * immediate retry ({@code Retry-After: 0}, which OkHttp obeys by sending the request again whatever
 * {@code retryOnConnectionFailure} says) reaches the caller as {@code retry-after-ms: 0}, the same delay for
 * openai-java's and Continuity's retries, which decide. Not part of the public API.
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
                .followRedirects(false)
                .followSslRedirects(false)
                .addNetworkInterceptor(OkHttpOpenAIHttpClient::noImmediateResend)
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
        IOException first = null;
        while (true) {
            Attempt sent = new Attempt();
            try {
                return new OkResponse(newCall(okRequest, options, sent).execute());
            } catch (IOException e) {
                if (first == null && sent.neverWholeOnAPooledConnection()) {
                    LOG.debug("{} {}: not written whole on a pooled connection ({}); sending it on a new one",
                            okRequest.method(), okRequest.url().encodedPath(), e.toString());
                    first = e;
                    continue;
                }
                throw failed(e, first);
            }
        }
    }

    /** The failure openai-java's own transport throws, with the attempt sent again before it, if any. */
    private static OpenAIIoException failed(IOException e, IOException first) {
        if (first != null) {
            e.addSuppressed(first);
        }
        return new OpenAIIoException("Request failed", e);
    }

    /**
     * Keeps OkHttp from sending a request again after a 503 with {@code Retry-After: 0}: the header is passed on as
     * {@code retry-after-ms: 0} (the same delay to openai-java and to Continuity, which read it first).
     */
    private static Response noImmediateResend(okhttp3.Interceptor.Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        String retryAfter = response.header("Retry-After");
        if (response.code() == 503 && retryAfter != null && retryAfter.trim().matches("0+")) {
            Response.Builder passed = response.newBuilder().removeHeader("Retry-After");
            if (response.header("retry-after-ms") == null) {
                passed.header("retry-after-ms", "0");
            }
            return passed.build();
        }
        return response;
    }

    @Override
    public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions options) {
        CompletableFuture<HttpResponse> future = new CompletableFuture<>();
        try {
            enqueue(toOkHttp(request), options, future, null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return future;
    }

    private void enqueue(Request okRequest, RequestOptions options, CompletableFuture<HttpResponse> future,
            IOException first) {
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
                if (first == null && sent.neverWholeOnAPooledConnection() && !future.isDone()) {
                    enqueue(okRequest, options, future, e);
                } else {
                    future.completeExceptionally(failed(e, first));
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
                builder.header(name, value); // one value per name, the last, as openai-java's own transport sends
            }
        }
        HttpRequestBody body = request.body();
        String method = request.method().name();
        RequestBody okBody = null;
        if (body != null) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (body) { // closed once read, as openai-java's own transport does (a multipart body closes its parts)
                body.writeTo(bytes);
            }
            okBody = RequestBody.create(bytes.toByteArray(),
                    body.contentType() == null ? null : MediaType.parse(body.contentType()));
        } else if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
            okBody = RequestBody.create(NO_BYTES, null);
        }
        return builder.method(method, okBody).build();
    }

    /**
     * What one attempt did on the wire: whether it took its connection from the pool (no connect), the connection's
     * protocol, and how writing the request failed (OkHttp's {@code requestFailed}: not every byte of it left).
     */
    private static final class Attempt extends EventListener {
        private volatile boolean connected;
        private volatile Protocol protocol;
        private volatile IOException writeFailure;

        @Override
        public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
            connected = true;
        }

        @Override
        public void connectionAcquired(Call call, Connection connection) {
            protocol = connection.protocol();
        }

        @Override
        public void requestFailed(Call call, IOException ioe) {
            writeFailure = ioe;
        }

        /**
         * True when the request never left whole because the peer had closed the HTTP/1.1 connection the pool
         * handed out (a reset or a broken pipe; not a time-out or a cancel, which {@link SocketException} is not).
         */
        boolean neverWholeOnAPooledConnection() {
            return writeFailure instanceof SocketException && !connected && protocol == Protocol.HTTP_1_1;
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
