package dev.logai.tools.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Terraform configuration as HashiCorp's HCL2 parser reads it (hcl2json's shape: file name →
 * {@code {"resource": {TYPE: {NAME: [BODY]}}, "data": …, "module": {NAME: [BODY]}, "variable": …,
 * "output": …}}, attribute expressions as {@code "${…}"} strings), merged over all files, so a
 * policy can ask for blocks by type and follow references between them.
 */
final class ParsedTerraform {
    private final JsonNode files;

    /** @param files the parsed files, one field per file name (check.mjs's output). */
    ParsedTerraform(JsonNode files) {
        assertThat(files).as("the parsed Terraform files").isNotNull();
        this.files = files;
    }

    /** Top-level blocks of one kind with a single label ({@code variable}, {@code output}, {@code module}): name → body. */
    Map<String, JsonNode> blocks(String kind) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        files.forEach(file ->
                file.path(kind).fields().forEachRemaining(e -> out.put(e.getKey(), single(e.getValue()))));
        return out;
    }

    /** The {@code resource "TYPE" "NAME"} blocks of a type: name → body (empty when none). */
    Map<String, JsonNode> resources(String type) {
        return typed("resource", type);
    }

    /** The {@code data "TYPE" "NAME"} blocks of a type: name → body. */
    Map<String, JsonNode> data(String type) {
        return typed("data", type);
    }

    /** The body of {@code module "NAME"}; fails when there is none. */
    JsonNode module(String name) {
        JsonNode m = blocks("module").get(name);
        assertThat(m).as("module " + name).isNotNull();
        return m;
    }

    /**
     * The one resource of {@code type} that iterates over every instance of a resource ({@code
     * for_each = ${aws_s3_bucket.logai}}), so it covers them all; fails when none or several do.
     */
    JsonNode coveringAll(String type, String forEach) {
        List<JsonNode> covering = new ArrayList<>();
        resources(type).values().forEach(body -> {
            if (body.path("for_each").asText().equals(forEach)) covering.add(body);
        });
        assertThat(covering).as(type + " with for_each = " + forEach).hasSize(1);
        return covering.get(0);
    }

    /**
     * The block a reference names: {@code ${aws_db_parameter_group.logai.name}} → the body of {@code
     * resource "aws_db_parameter_group" "logai"}; fails unless it is a reference to that type.
     */
    JsonNode referenced(String expression, String type) {
        Matcher m = Pattern.compile("^\\$\\{" + Pattern.quote(type) + "\\.([A-Za-z0-9_-]+)\\.[a-z_]+}$")
                .matcher(expression);
        assertThat(m.matches()).as(expression + " refers to a " + type).isTrue();
        JsonNode body = resources(type).get(m.group(1));
        assertThat(body).as(expression).isNotNull();
        return body;
    }

    private Map<String, JsonNode> typed(String kind, String type) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        files.forEach(file -> file.path(kind).path(type).fields().forEachRemaining(e -> {
            assertThat(out)
                    .as(kind + " " + type + "." + e.getKey() + " declared once")
                    .doesNotContainKey(e.getKey());
            out.put(e.getKey(), single(e.getValue()));
        }));
        return out;
    }

    private static JsonNode single(JsonNode bodies) {
        assertThat(bodies.isArray() ? bodies.size() : 1)
                .as("one body per block")
                .isEqualTo(1);
        return bodies.isArray() ? bodies.get(0) : bodies;
    }
}
