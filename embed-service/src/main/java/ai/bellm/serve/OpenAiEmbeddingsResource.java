package ai.bellm.serve;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code POST /v1/embeddings}, OpenAI's embeddings API, so OpenAI clients can use the service. {@code model} is
 * accepted and answered with the model in service; {@code encoding_format} is {@code float} (default) or
 * {@code base64} (little-endian float32, as OpenAI sends it).
 */
@Path("/v1/embeddings")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class OpenAiEmbeddingsResource {

    public record Request(@JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> input,
                          String model, @JsonProperty("encoding_format") String encodingFormat) {
    }

    /** {@code embedding} is a float array or a base64 string. */
    public record Embedding(String object, int index, Object embedding) {
    }

    public record Usage(@JsonProperty("prompt_tokens") int promptTokens, @JsonProperty("total_tokens") int totalTokens) {
    }

    public record Response(String object, List<Embedding> data, String model, Usage usage) {
    }

    private final EmbeddingService service;

    OpenAiEmbeddingsResource(EmbeddingService service) {
        this.service = service;
    }

    @POST
    @Operation(summary = "OpenAI-compatible embeddings")
    public Response embeddings(Request request) {
        if (request == null) {
            throw new IllegalArgumentException("request body required");
        }
        String format = request.encodingFormat() == null ? "float" : request.encodingFormat();
        if (!format.equals("float") && !format.equals("base64")) {
            throw new IllegalArgumentException("encoding_format must be float or base64, got " + format);
        }
        EmbeddingService.Result result = service.embed(request.input(), null, null);
        List<Embedding> data = new ArrayList<>();
        for (int i = 0; i < result.embeddings().length; i++) {
            float[] v = result.embeddings()[i];
            data.add(new Embedding("embedding", i, format.equals("float") ? v : base64(v)));
        }
        return new Response("list", data, result.model() + "/" + result.version(),
                new Usage(result.tokens(), result.tokens()));
    }

    private static String base64(float[] v) {
        ByteBuffer bytes = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(v);
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
