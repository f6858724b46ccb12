-- The values a user gave on the Connect page for an integration's connect fields (Shopify's store, Zendesk's
-- subdomain), as JSON, kept with the authorization under way until its callback builds the token URL with them.
ALTER TABLE oauth_states ADD COLUMN connect_values TEXT;
