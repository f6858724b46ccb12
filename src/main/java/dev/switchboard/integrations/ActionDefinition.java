package dev.switchboard.integrations;

import com.networknt.schema.Schema;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * One action of an integration: its input schema and how the input becomes a vendor request.
 *
 * @param method     HTTP method of the vendor call
 * @param base       the URL role the path is appended to (default {@code api}; Google Drive and Box upload to {@code upload})
 * @param path       appended to the base URL, and may carry a query; {@code {name}} takes the input of that name
 * @param idempotent a write that is safe to repeat after a 5xx or network error (reads always are)
 * @param paginated  a list action: takes {@code paginationParameters}, answers with {@code pageCursor}
 * @param records    JSON pointer to the list in the vendor's answer (counted for offset and page styles)
 * @param fixed      values every call sends, by vendor field name (dotted names nest), in the default place; inputs may override them
 * @param map        where inputs go when not by their own name to the default place (query for GET and DELETE, JSON body otherwise)
 * @param multipart  the body is a multipart upload made of these parts, instead of JSON
 * @param response   {@code json} (default) or {@code file}: the answer's bytes become a File object
 * @param accountFields the account's own fields are parameters too (CRM records); null: not
 * @param keepRecords the answer's records ({@code records}) are kept only when one of these holds; empty: all
 * @param readFirst a GET whose answer gives some of the request's fields; null: none
 * @param attachFile a GET of a file's bytes added to the answer when an input asks for it; null: none
 * @param mime       an email built from inputs goes into the body; null: none
 * @param fileFromAnswer the answer carries a file's bytes as text, answered as a File object; null: not
 * @param program    code that runs the action by running other actions of the integration, one vendor request each
 *                   (Notion's Markdown pages, Google Sheets' rows by header); null: the action is one request.
 *                   See {@link dev.switchboard.integrations.ActionPrograms}.
 * @param continuation a paginated action's later pages come from this path (below the same base), with a JSON body
 *                   holding only the cursor (Dropbox's {@code list_folder/continue}); null: the same request again
 * @param argsHeader the request's fields go as JSON in this header, characters beyond ASCII escaped, instead of the
 *                   body (Dropbox's {@code Dropbox-API-Arg} on its content host); null: in the body
 * @param fileBody   the input whose File object's bytes are the whole request body, sent as
 *                   {@code application/octet-stream} (Dropbox's uploads); null: none
 * @param fileName   where a downloaded file's name is, besides {@code Content-Disposition}; null: only there
 * @param input      JSON Schema (draft 2020-12 keywords that mean the same in draft-07) of the parameters;
 *                   a property of {@code type: file} becomes ActionKit's File object
 */
public record ActionDefinition(
        String title,
        String description,
        String method,
        String base,
        String path,
        boolean idempotent,
        boolean paginated,
        String records,
        Map<String, Object> fixed,
        Map<String, InputTarget> map,
        MultipartSpec multipart,
        String response,
        ObjectNode input,
        List<String> formerNames,
        String body,
        Map<String, Compose> compose,
        AccountFieldInputs accountFields,
        List<KeepClause> keepRecords,
        ReadFirst readFirst,
        AttachFile attachFile,
        Mime mime,
        FileFromAnswer fileFromAnswer,
        String program,
        String continuation,
        String argsHeader,
        String fileBody,
        FileNameFrom fileName,
        String answer,
        IntegrationDefinition.Pagination pagination,
        String userErrors,
        String protocol) {

    /**
     * Where a downloaded file's name is when the vendor sends no {@code Content-Disposition}: in a response header
     * holding JSON (Dropbox's {@code Dropbox-API-Result}), at a pointer.
     */
    public record FileNameFrom(String header, String pointer) {}

    /**
     * The answer is a JSON object carrying a file's bytes in text (Gmail's attachment: {@code {"size", "data": base64url}}):
     * the result is that file as a File object.
     *
     * @param data     JSON pointer to the bytes' text in the answer
     * @param encoding {@code base64url} or {@code base64}
     * @param name     the input naming the file, or null
     * @param mimeType the input giving its media type, or null (then {@code application/octet-stream})
     */
    public record FileFromAnswer(String data, String encoding, String name, String mimeType) {}

    /**
     * The request carries an email built from inputs (Gmail's {@code raw}): each field names the input that gives that
     * part; those inputs are not sent on their own. See {@link dev.switchboard.mapping.MimeMessages}.
     *
     * @param into where the base64url message goes in the body, dotted ({@code raw}, {@code message.raw})
     */
    public record Mime(String into, String to, String cc, String bcc, String from, String subject, String html,
                       String attachments, String headers, String inReplyTo, String references) {
        public java.util.stream.Stream<String> inputs() {
            return java.util.stream.Stream.of(to, cc, bcc, from, subject, html, attachments, headers, inReplyTo, references)
                    .filter(java.util.Objects::nonNull);
        }
    }

    /**
     * When the boolean input {@code when} is true, a second GET fetches a file's bytes, put into the answer as a File
     * object under {@code into} (Google Drive's includeFileContents).
     *
     * @param path below the action's base URL; {@code {input}} placeholders take inputs
     */
    public record AttachFile(String when, String path, String into) {}

    /**
     * A GET made before the action's request, whose answer gives some of its fields (Confluence's next version number:
     * the page's current one plus one).
     *
     * @param path   below the action's base URL; {@code {input}} placeholders take inputs, as in the action's path
     * @param values vendor field name (dotted names nest) to where its value is in the answer; set before the inputs,
     *               so an input sent under the same name wins
     */
    public record ReadFirst(String path, Map<String, ReadValue> values) {}

    /**
     * @param pointer JSON pointer into the answer; with {@code headers}, to a list of {@code {"name", "value"}} headers
     * @param add     a number added to it (null: the value as it is)
     * @param headers the header names to look for in that list, in order; the first present gives the value
     * @param prefix  written before the value unless it already starts with it, ignoring case ({@code "Re: "})
     * @param input   the value is the input of this name, when the caller gave none, instead of a request field
     * @param optional a value the answer may lack (then nothing is set)
     */
    public record ReadValue(String pointer, Integer add, List<String> headers, String prefix, Boolean input, Boolean optional) {
        public boolean intoInput() {
            return Boolean.TRUE.equals(input);
        }
    }

    /**
     * One way a record of the answer is kept when the vendor cannot filter (Slack has no user search by name): the
     * text at {@code pointer} in the record contains the input named by {@code contains}, ignoring case. A record is
     * kept when any clause whose input is given holds; those inputs are not sent to the vendor.
     */
    public record KeepClause(String pointer, String contains) {}

    /**
     * The action's parameters include the connected account's own fields of one record type, read as the
     * integration's {@link IntegrationDefinition.AccountFields} says.
     *
     * @param operation  {@code create} (the vendor's required fields are required), {@code update}, or {@code describe}
     *                   (no vendor request of its own: it answers the schema another action has for the account)
     * @param recordType the record type of an action of one type; null: the input {@code recordType} names it
     * @param into       where field values go in the body, dotted ({@code data.0}); null or empty: the top level
     * @param describes  describe: the action that each value of the input {@code operation} describes
     */
    public record AccountFieldInputs(String operation, String recordType, String into, Map<String, String> describes) {
        /** The input that names the record type when the action is not of one type. */
        public static final String RECORD_TYPE_INPUT = "recordType";

        public boolean describe() {
            return "describe".equals(operation);
        }
    }

    /**
     * A vendor field built from clauses ({@code compose} in a definition).
     *
     * @param in      {@code query} or {@code body}, or null for the action's default place
     * @param join    the text between clauses (default a space)
     * @param quote   the quote written around values in the templates, escaped in values with a backslash, or null
     */
    public record Compose(String in, String join, String quote, List<Clause> clauses) {}

    /**
     * @param template the clause's text with {@code {input}} placeholders
     * @param when     inputs and the values they must have, or null
     * @param defaults values for template inputs not given, or null
     */
    public record Clause(String template, Map<String, Object> when, Map<String, Object> defaults) {}

    /**
     * @param type  {@code related} (Google Drive) or {@code form-data} (Box)
     * @param parts in order: {@code content: json} is the action's other inputs as JSON, {@code content: file} the named File input
     */
    public record MultipartSpec(String type, List<PartSpec> parts) {}

    /** @param name the form-data part name; @param content {@code json} or {@code file}; @param input the File input, for file parts */
    public record PartSpec(String name, String content, String input) {}

    /** Whether an action of this method sends its inputs, by default, in the query (else in the JSON body). */
    public static boolean inputsGoToQuery(String method) {
        return method.equals("GET") || method.equals("HEAD") || method.equals("DELETE");
    }

    /** Whether the body is form-encoded ({@code body: form}), nested fields in brackets. */
    public boolean sendsForm() {
        return "form".equals(body);
    }

    /** Whether the request goes without a body ({@code body: none}). */
    public boolean sendsNoBody() {
        return "none".equals(body);
    }

    public boolean returnsFile() {
        return "file".equals(response);
    }

    /**
     * @param in   {@code query}, {@code body}, {@code path}, or {@code bodyFields} (an object input whose fields go to the body's top level)
     * @param name the vendor's name for the field; a dotted name nests inside the JSON body, a number segment
     *             is an array index ({@code Contacts.0.Name})
     * @param filter an object input is ActionKit's filter formula, written in this dialect of
     *             {@link dev.switchboard.filters.FilterFormulas} ({@code zohoCriteria}, {@code exactMatches}); text passes as is
     * @param fields exactMatches: the vendor fields a condition may name, each becoming a request field of its own
     * @param as     a conversion of {@link dev.switchboard.mapping.ValueConversions} ({@code rfc3339}, {@code eventTime},
     *               {@code emailList}); an {@code eventTime} that is a date alone goes to the sibling {@code date} field
     * @param orElse where the value comes from when the input is absent
     * @param slashes {@code keep}: a path input's slashes separate path segments (each segment still encoded, none
     *               empty, {@code .} or {@code ..})
     * @param values the vendor's spelling of each of the input's values, when it differs from ActionKit's (HubSpot's
     *               {@code NOTE} is the object type {@code notes})
     */
    public record InputTarget(String in, String name, String filter, List<String> fields, String as, OrElse orElse, String slashes, String zone,
                              Map<String, String> values, String wrap, String idPrefix) {
        public InputTarget(String in, String name) {
            this(in, name, null, null, null, null, null, null, null, null, null);
        }

        /**
         * A field of the account's own, sent under its name in the body, converted as the integration says (or not),
         * and wrapped in an object of one key (Jira's options as {@code {"value": ...}}) when {@code wrap} names one.
         */
        public static InputTarget accountField(String name, String as, String wrap) {
            return new InputTarget(null, name, null, null, as, null, null, null, null, wrap, null);
        }

        /** A path input whose slashes stay path separators (Google's resource names, {@code people/c123}). */
        public boolean keepsSlashes() {
            return "keep".equals(slashes);
        }
    }

    /**
     * When the input is absent, its value derives from another input ({@code from}, converted the same way) plus a
     * duration (ISO 8601, {@code PT1H}): an event's end, one hour after its start. {@code from} may instead be
     * {@value #NOW} or {@value #TODAY}, the time or the UTC date of the call (HubSpot's activity time, Salesforce's
     * close date a month ahead).
     */
    public record OrElse(String from, String plus) {
        public static final String NOW = "$now";
        public static final String TODAY = "$today";

        public boolean fromTheClock() {
            return NOW.equals(from) || TODAY.equals(from);
        }
    }

    public boolean isRead() {
        return method.equals("GET") || method.equals("HEAD");
    }

    /**
     * An action as loaded: its normalised definition and input schema, and the schema's validator, compiled at load
     * or, for a definition that loaded unchanged at an earlier start, on first use. Not part of the definition file.
     */
    public static final class Compiled {
        private final String integration;
        private final String name;
        private final ActionDefinition definition;
        private final ObjectNode schema;
        private final java.util.function.Supplier<Schema> validator;

        Compiled(String integration, String name, ActionDefinition definition, ObjectNode schema, java.util.function.Supplier<Schema> validator) {
            this.integration = integration;
            this.name = name;
            this.definition = definition;
            this.schema = schema;
            this.validator = validator;
        }

        public String integration() {
            return integration;
        }

        public String name() {
            return name;
        }

        public ActionDefinition definition() {
            return definition;
        }

        public ObjectNode schema() {
            return schema;
        }

        public Schema validator() {
            return validator.get();
        }
    }
}
