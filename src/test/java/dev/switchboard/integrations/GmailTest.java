package dev.switchboard.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.GmailFake;
import dev.switchboard.fakes.VendorFake;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.Refreshes;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.Tokens;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Gmail's actions as ActionKit's clients call them, against a fake that parses what it is sent as Gmail does: the
 * email Jakarta Mail builds (an HTML body with a plain-text alternative, recipients in every form ActionKit's clients
 * send, a non-ASCII subject and name, attachments by their bytes), header injection refused before any call, a
 * search paged exactly once, drafts, labels, and contacts addressed by resource name.
 */
class GmailTest {
    private static final GmailFake gmail = new GmailFake(9);
    private static TestServer server;
    private static Project project;
    private static String token;

    @BeforeAll
    static void start() {
        gmail.start();
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("gmail");
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/gmail", Map.of("enabled", true,
                "urls", Map.of("api", gmail.apiUrl(), "people", gmail.peopleUrl()))), 200);
        server.importCredential(project.id(), "ada", "gmail", "ya29.gmail");
        gmail.accept("ya29.gmail");
        token = Tokens.sign(project.privateKeyPem(), "ada", c -> c);
    }

    @AfterAll
    static void stop() {
        server.close();
        gmail.close();
    }

    @BeforeEach
    void reset() {
        gmail.reset();
    }

    private static Answer run(String action, Map<String, Object> parameters) {
        return server.runAction(project, token, action, parameters);
    }

    private static Map<String, Object> file(String name, String mimeType, byte[] bytes) {
        return Map.of("dataType", "FILE", "mimeType", mimeType, "data", HexFormat.of().formatHex(bytes), "name", name);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void anEmailIsBuiltAsGmailReadsItWithEveryPartInPlace() throws Exception {
        byte[] report = new byte[50_000];
        new java.util.Random(7).nextBytes(report);
        Map<String, Object> email = new HashMap<>();
        email.put("toRecipients", "Grace Hopper <grace@example.com>, alan@example.com");
        email.put("from", "Ada Lovelace <ada@example.com>");
        email.put("subject", "Zahlen für das Quartal ✓");
        email.put("messageContent", "<p>Hello <b>Grace</b>,</p><p>the numbers are attached.</p>");
        email.put("attachments", List.of(file("Bericht ü.pdf", "application/pdf", report)));
        email.put("additionalHeaders", Map.of("Cc", "José Núñez <jose@example.com>", "X-Campaign", "q4"));

        JsonNode sent = TestServer.expect(run("GMAIL_SEND_EMAIL", email), 200);

        MimeMessage message = gmail.sent(sent.get("id").asString());
        assertThat(message.getSubject()).isEqualTo("Zahlen für das Quartal ✓");
        assertThat(message.getHeader("Subject")[0]).as("encoded as RFC 2047 says").startsWith("=?UTF-8?");
        assertThat(message.getRecipients(Message.RecipientType.TO)).extracting(Address::toString)
                .containsExactly("Grace Hopper <grace@example.com>", "alan@example.com");
        assertThat(((InternetAddress) message.getRecipients(Message.RecipientType.CC)[0]).getPersonal()).isEqualTo("José Núñez");
        assertThat(((InternetAddress) message.getFrom()[0]).getAddress()).isEqualTo("ada@example.com");
        assertThat(message.getHeader("X-Campaign")[0]).isEqualTo("q4");

        Multipart mixed = (Multipart) message.getContent();
        Multipart alternative = (Multipart) mixed.getBodyPart(0).getContent();
        assertThat(alternative.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat((String) alternative.getBodyPart(0).getContent()).contains("Hello Grace,").doesNotContain("<b>");
        assertThat(alternative.getBodyPart(1).getContentType()).startsWith("text/html");
        Part attachment = mixed.getBodyPart(1);
        assertThat(jakarta.mail.internet.MimeUtility.decodeText(attachment.getFileName())).isEqualTo("Bericht ü.pdf");
        assertThat(attachment.getContentType()).startsWith("application/pdf");
        try (InputStream in = attachment.getInputStream()) {
            assertThat(sha256(in.readAllBytes())).isEqualTo(sha256(report));
        }

        // And back: the attachment, found in the message's parts, downloads as a File object with the same bytes.
        JsonNode read = TestServer.expect(run("GMAIL_GET_EMAIL_BY_ID", Map.of("messageId", sent.get("id").asString())), 200);
        JsonNode part = read.at("/payload/parts/0");
        JsonNode file = TestServer.expect(run("GMAIL_GET_ATTACHMENT", Map.of("messageId", sent.get("id").asString(),
                "attachmentId", part.at("/body/attachmentId").asString(), "fileName", part.get("filename").asString(),
                "mimeType", part.get("mimeType").asString())), 200);
        assertThat(file.get("dataType").asString()).isEqualTo("FILE");
        assertThat(file.get("name").asString()).isEqualTo("Bericht ü.pdf");
        assertThat(file.get("mimeType").asString()).isEqualTo("application/pdf");
        assertThat(sha256(HexFormat.of().parseHex(file.get("data").asString()))).isEqualTo(sha256(report));
        assertThat(gmail.received().getLast().query()).doesNotContainKeys("fileName", "mimeType");
    }

    @Test
    void recipientsComeInEveryFormActionKitsClientsSend() throws Exception {
        for (Object recipients : List.of(List.of("grace@example.com"), "grace@example.com", "[\"grace@example.com\", \"alan@example.com\"]")) {
            JsonNode sent = TestServer.expect(run("GMAIL_SEND_EMAIL", Map.of("toRecipients", recipients, "from", "ada@example.com",
                    "subject", "Hi", "messageContent", "<p>Hi</p>")), 200);
            assertThat(gmail.sent(sent.get("id").asString()).getRecipients(Message.RecipientType.TO)[0].toString()).isEqualTo("grace@example.com");
        }
    }

    @Test
    void aLineBreakInAnyHeaderIsRefusedBeforeAnythingIsSent() {
        Map<String, Object> base = Map.of("toRecipients", "grace@example.com", "from", "ada@example.com", "subject", "Hi",
                "messageContent", "<p>Hi</p>");
        List<Map.Entry<String, Object>> attacks = List.of(
                Map.entry("subject", "Hi\r\nBcc: everyone@example.com"),
                Map.entry("toRecipients", "grace@example.com\nBcc: everyone@example.com"),
                Map.entry("additionalHeaders", Map.of("Reply-To", "a@example.com\r\nBcc: everyone@example.com")),
                Map.entry("additionalHeaders", Map.of("Bad Name", "x")),
                Map.entry("toRecipients", "not an address"));
        for (Map.Entry<String, Object> attack : attacks) {
            Map<String, Object> parameters = new HashMap<>(base);
            parameters.put(attack.getKey(), attack.getValue());
            JsonNode refused = TestServer.expect(run("GMAIL_SEND_EMAIL", parameters), 400);
            assertThat(refused.get("message").asString()).as(attack.toString()).contains("parameters." + attack.getKey());
        }
        assertThat(gmail.received("POST", "/gmail/v1/users/me/messages/send")).isEmpty();
    }

    @Test
    void aSearchPagesExactlyOnceAndItsResultsCanBeReadTrashedAndRelabelled() {
        List<String> ids = new ArrayList<>();
        Map<String, Object> parameters = new HashMap<>(Map.of("emailFilterFormula", "from:alan@example.com", "maxResults", 2));
        int pages = 0;
        while (true) {
            JsonNode page = TestServer.expect(run("GMAIL_SEARCH_FOR_EMAIL", parameters), 200);
            pages++;
            page.get("messages").forEach(m -> ids.add(m.get("id").asString()));
            if (!page.has("pageCursor")) {
                break;
            }
            parameters.put("paginationParameters", Map.of("pageCursor", page.get("pageCursor").asString()));
        }
        assertThat(ids).hasSize(5).doesNotHaveDuplicates();
        assertThat(pages).isEqualTo(3);
        assertThat(gmail.received("GET", "/gmail/v1/users/me/messages").getFirst().query()).containsEntry("q", "from:alan@example.com");

        JsonNode message = TestServer.expect(run("GMAIL_GET_EMAIL_BY_ID", Map.of("messageId", ids.get(0))), 200);
        assertThat(message.get("id").asString()).isEqualTo(ids.get(0));
        assertThat(gmail.received("GET", "/gmail/v1/users/me/messages/" + ids.get(0))).as("userId defaults to me").hasSize(1);
        TestServer.expect(run("GMAIL_MODIFY_EMAIL_LABELS", Map.of("messageId", ids.get(0), "removeLabelIds", List.of("UNREAD"),
                "addLabelIds", List.of("STARRED"))), 200);
        TestServer.expect(run("GMAIL_DELETE_EMAIL", Map.of("userId", "me", "messageId", ids.get(1))), 200);
        JsonNode trashed = TestServer.expect(run("GMAIL_GET_EMAIL_BY_ID", Map.of("userId", "me", "messageId", ids.get(1))), 200);
        assertThat(trashed.get("labelIds")).extracting(JsonNode::asString).containsExactly("TRASH");
        JsonNode relabelled = TestServer.expect(run("GMAIL_GET_EMAIL_BY_ID", Map.of("userId", "me", "messageId", ids.get(0))), 200);
        assertThat(relabelled.get("labelIds")).extracting(JsonNode::asString).containsExactly("INBOX", "STARRED");
        JsonNode missing = TestServer.expect(run("GMAIL_GET_EMAIL_BY_ID", Map.of("userId", "me", "messageId", "ffff")), 404);
        assertThat(missing.at("/meta/isIntegrationError").asBoolean()).isTrue();
    }

    @Test
    void actionKitsFilterObjectIsWrittenInGmailsSearchSyntax() {
        Map<String, Object> formula = Map.of("operator", "AND", "conditions", List.of(
                Map.of("operator", "OR", "conditions", List.of(
                        Map.of("field", "from", "operator", "$stringExactlyMatches", "value", "grace@example.com"),
                        Map.of("field", "subject", "operator", "$stringContains", "value", "Weekly report"))),
                Map.of("field", "unread", "operator", "$booleanTrue"),
                Map.of("field", "after", "operator", "$dateTimeAfter", "value", "2026-11-01T00:00:00Z")));

        TestServer.expect(run("GMAIL_SEARCH_FOR_EMAIL", Map.of("emailFilterFormula", formula)), 200);

        assertThat(gmail.received("GET", "/gmail/v1/users/me/messages").getLast().query().get("q"))
                .isEqualTo("{from:grace@example.com subject:\"Weekly report\"} is:unread after:2026/11/01");
        JsonNode refused = TestServer.expect(run("GMAIL_SEARCH_FOR_EMAIL", Map.of("emailFilterFormula", Map.of("field", "from",
                "operator", "$stringIsIn", "value", List.of("a@x.com")))), 400);
        assertThat(refused.get("message").asString()).contains("parameters.emailFilterFormula.operator").contains("Gmail's own syntax");
    }

    @Test
    void aReplyJoinsTheThreadAnsweringItsSenderWithReSubject() throws Exception {
        tools.jackson.databind.node.ObjectNode original = gmail.messages().getFirst();
        String id = original.get("id").asString();

        JsonNode reply = TestServer.expect(run("GMAIL_REPLY_TO_EMAIL", Map.of("messageId", id, "messageContent", "<p>Thanks!</p>")), 200);

        MimeMessage sent = gmail.sent(reply.get("id").asString());
        assertThat(sent.getHeader("In-Reply-To")[0]).isEqualTo("<" + id + "@mail.example.com>");
        assertThat(sent.getHeader("References")[0]).isEqualTo("<" + id + "@mail.example.com>");
        assertThat(sent.getSubject()).isEqualTo("Re: Message 1");
        assertThat(sent.getRecipients(Message.RecipientType.TO)[0].toString()).isEqualTo("alan@example.com");
        JsonNode body = gmail.received("POST", "/gmail/v1/users/me/messages/send").getLast().json();
        assertThat(body.get("threadId").asString()).isEqualTo(original.get("threadId").asString());
        assertThat(body.propertyNames()).as("the original's id addressed the read, not the send").containsExactlyInAnyOrder("raw", "threadId");
        assertThat(gmail.received("GET", "/gmail/v1/users/me/messages/" + id).getLast().query()).containsEntry("format", "metadata");

        JsonNode again = TestServer.expect(run("GMAIL_REPLY_TO_EMAIL", Map.of("messageId", id, "messageContent", "<p>Also</p>",
                "subject", "Re: Re: keep mine", "toRecipients", "grace@example.com")), 200);
        assertThat(gmail.sent(again.get("id").asString()).getSubject()).as("the caller's subject and recipients win").isEqualTo("Re: Re: keep mine");
        assertThat(gmail.sent(again.get("id").asString()).getRecipients(Message.RecipientType.TO)[0].toString()).isEqualTo("grace@example.com");

        int sends = gmail.received("POST", "/gmail/v1/users/me/messages/send").size();
        TestServer.expect(run("GMAIL_REPLY_TO_EMAIL", Map.of("messageId", "ffff", "messageContent", "<p>?</p>")), 404);
        assertThat(gmail.received("POST", "/gmail/v1/users/me/messages/send")).as("nothing sent for a missing original").hasSize(sends);
    }

    @Test
    void aDraftIsSavedThenSent() throws Exception {
        JsonNode draft = TestServer.expect(run("GMAIL_CREATE_DRAFT", Map.of("toRecipients", List.of("grace@example.com"), "subject", "Later",
                "messageContent", "<p>Draft</p>")), 200);
        assertThat(gmail.received("POST", "/gmail/v1/users/me/drafts").getLast().json().at("/message/raw").asString()).isNotBlank();

        JsonNode sent = TestServer.expect(run("GMAIL_SEND_DRAFT", Map.of("draftId", draft.get("id").asString())), 200);

        assertThat(sent.get("labelIds")).extracting(JsonNode::asString).containsExactly("SENT");
        assertThat(gmail.sent(sent.get("id").asString()).getSubject()).isEqualTo("Later");
        JsonNode labels = TestServer.expect(run("GMAIL_LIST_LABELS", Map.of()), 200);
        assertThat(labels.get("labels")).extracting(l -> l.get("id").asString()).contains("INBOX", "Label_12");
    }

    @Test
    void contactsAreAddressedByTheirResourceName() {
        JsonNode created = TestServer.expect(run("GMAIL_CREATE_A_CONTACT", Map.of("givenName", "Grace", "familyName", "Hopper",
                "email", "grace@example.com", "additionalFields", Map.of("organizations", List.of(Map.of("name", "Navy"))))), 200);
        String resourceName = created.get("resourceName").asString();
        JsonNode sent = gmail.received("POST", "/v1/people:createContact").getLast().json();
        assertThat(sent.at("/names/0/givenName").asString()).isEqualTo("Grace");
        assertThat(sent.at("/emailAddresses/0/value").asString()).isEqualTo("grace@example.com");
        assertThat(sent.at("/organizations/0/name").asString()).isEqualTo("Navy");

        JsonNode fetched = TestServer.expect(run("GMAIL_GET_CONTACT_BY_RESOURCE_NAME", Map.of("resourceName", resourceName)), 200);
        assertThat(fetched.at("/names/0/familyName").asString()).isEqualTo("Hopper");
        assertThat(gmail.received("GET", "/v1/" + resourceName)).as("the slash stays a path separator").hasSize(1);

        JsonNode found = TestServer.expect(run("GMAIL_SEARCH_FOR_CONTACT", Map.of("searchTerm", "grace")), 200);
        assertThat(found.get("results")).hasSize(1);
        assertThat(gmail.received("GET", "/v1/people:searchContacts")).extracting(r -> r.query().get("query")).containsExactly("", "grace");

        JsonNode traversal = TestServer.expect(run("GMAIL_GET_CONTACT_BY_RESOURCE_NAME", Map.of("resourceName", "people/../admin")), 400);
        assertThat(traversal.get("message").asString()).contains("parameters.resourceName");
        TestServer.expect(run("GMAIL_DELETE_CONTACT", Map.of("resourceName", resourceName)), 200);
        assertThat(gmail.contacts()).isEmpty();
    }

    @Test
    void connectingLabelsTheAccountWithItsAddress() throws Exception {
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/gmail", Map.of("enabled", true,
                "clientId", "client-id", "clientSecret", "client-secret", "scopes", List.of("https://www.googleapis.com/auth/gmail.modify"),
                "urls", Map.of("api", gmail.apiUrl(), "people", gmail.peopleUrl(), "token", gmail.baseUrl() + "/oauth/token",
                        "authorize", gmail.baseUrl() + "/oauth/authorize", "account", gmail.apiUrl() + "/users/me/profile"))), 200);
        String newcomer = Tokens.sign(project.privateKeyPem(), "newcomer", c -> c);
        dev.switchboard.testing.ConnectFlows.Connected connected = dev.switchboard.testing.ConnectFlows.connect(server, project, newcomer, "gmail");
        assertThat(connected.authorizeUrl()).contains("access_type=offline").contains("prompt=consent").contains("gmail.modify");
        String back = connected.back();
        assertThat(back).contains("#connected=gmail");
        JsonNode me = TestServer.expect(server.user("GET", "/projects/" + project.id() + "/sdk/me", newcomer, null, Map.of()), 200);
        assertThat(me.at("/integrations/gmail/allCredentials/0/label").asString()).isEqualTo(GmailFake.EMAIL);
        assertThat(server.runAction(project, newcomer, "GMAIL_LIST_LABELS", Map.of()).status()).isEqualTo(200);
    }

    @Test
    void aRateLimitIsRetried() {
        gmail.failNext("labels", new VendorFake.RateLimited(0));
        TestServer.expect(run("GMAIL_LIST_LABELS", Map.of()), 200);
        assertThat(gmail.received("GET", "/gmail/v1/users/me/labels")).hasSize(2);
    }

    @Test
    void anExpiredTokenIsRefreshedKeepingItsRefreshToken() {
        // Google refreshes without a new refresh token; the kept one must still work the second time.
        int refreshes = Refreshes.callsAfterEachExpiry(server, project, gmail, "gmail", Map.of("api", gmail.apiUrl(), "people", gmail.peopleUrl()),
                "ya29.expired", "1//grace-gmail", "GMAIL_LIST_LABELS", Map.of(), 2);
        assertThat(refreshes).isEqualTo(2);
    }
}
