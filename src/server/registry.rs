//! Products and keys of the local connector, and the registration API (`POST /products`)
//! as the real connector answers it: the legacy body (`product_id`, `contact_email`,
//! `webhook_secret`, …) and the provider API (`provider`, `provider_project_id`, owner token).
//!
//! Pure bookkeeping: no I/O, so the rules are unit-tested directly.

use std::collections::{HashMap, HashSet};

use base64::Engine;
use rand::Rng;
use serde_json::{Value, json};

/// One registered product.
#[derive(Debug, Clone)]
pub(crate) struct Product {
    pub(crate) contact_email: String,
    /// Stream keys issued for this product.
    pub(crate) keys: HashSet<String>,
    /// For the newer API: who may re-register.
    pub(crate) owner_token: Option<String>,
    /// What `POST /webhook/{product_id}` expects in `X-PostHog-Secret` (legacy API).
    pub(crate) webhook_secret: Option<String>,
    /// What `POST /ingest/{product_id}` expects as its Bearer token (provider API).
    pub(crate) ingest_secret: Option<String>,
}

/// All products and keys.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    products: HashMap<String, Product>,
    /// Keys accepted for every product (`serve --key`).
    global_keys: HashSet<String>,
    /// Newer API: (provider, provider_project_id) → product id.
    by_provider: HashMap<(String, String), String>,
}

/// How the stream answers a request for a product with a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    Granted,
    /// 401: no key, or a key that is not valid for this product.
    Unauthorized,
    /// 404: the product is not registered.
    UnknownProduct,
}

/// A response of the registration API: status and JSON body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: Value,
}

impl Reply {
    fn error(status: u16, detail: impl Into<String>) -> Reply {
        Reply { status, body: json!({ "detail": detail.into() }) }
    }
}

impl Registry {
    pub(crate) fn new(global_keys: impl IntoIterator<Item = String>) -> Self {
        Registry { global_keys: global_keys.into_iter().collect(), ..Registry::default() }
    }

    /// Makes a product exist (for `--product` and products named in a recording).
    pub(crate) fn ensure_product(&mut self, product_id: &str) {
        self.products.entry(product_id.to_string()).or_insert_with(|| Product {
            contact_email: String::new(),
            keys: HashSet::new(),
            owner_token: None,
            webhook_secret: None,
            ingest_secret: None,
        });
    }

    /// The secrets that open a product's inbound routes (`/webhook`, `/ingest`): its own
    /// secret and every key given to `serve` (so `--product` products can be sent to).
    /// `None` for an unknown product.
    pub(crate) fn inbound_secrets(&self, product_id: &str, ingest: bool) -> Option<Vec<String>> {
        let product = self.products.get(product_id)?;
        let own = if ingest { &product.ingest_secret } else { &product.webhook_secret };
        Some(own.iter().chain(self.global_keys.iter()).cloned().collect())
    }

    /// The registered products (those `POST /products` made) as JSON, for keeping them across
    /// restarts. Keys given to `serve` and `--product` products are not part of it.
    pub(crate) fn registrations(&self) -> Value {
        let mut products: Vec<(&String, &Product)> =
            self.products.iter().filter(|(_, p)| !p.contact_email.is_empty()).collect();
        products.sort_by(|a, b| a.0.cmp(b.0));
        let rows: Vec<Value> = products
            .into_iter()
            .map(|(id, p)| {
                let mut keys: Vec<&String> = p.keys.iter().collect();
                keys.sort();
                let provider =
                    self.by_provider.iter().find(|(_, pid)| *pid == id).map(|((prov, proj), _)| json!([prov, proj]));
                json!({
                    "product_id": id,
                    "contact_email": p.contact_email,
                    "keys": keys,
                    "owner_token": p.owner_token,
                    "webhook_secret": p.webhook_secret,
                    "ingest_secret": p.ingest_secret,
                    "provider": provider,
                })
            })
            .collect();
        json!({ "version": 1, "products": rows })
    }

    /// Adds the products of [`Registry::registrations`]; rows it cannot read are skipped
    /// (returns how many were).
    pub(crate) fn restore(&mut self, saved: &Value) -> usize {
        let rows = saved.get("products").and_then(Value::as_array).cloned().unwrap_or_default();
        let mut skipped = 0;
        for row in rows {
            let text = |key: &str| row.get(key).and_then(Value::as_str).map(str::to_string);
            let (Some(id), Some(contact_email)) = (text("product_id"), text("contact_email")) else {
                skipped += 1;
                continue;
            };
            let keys = row
                .get("keys")
                .and_then(Value::as_array)
                .map(|keys| keys.iter().filter_map(Value::as_str).map(str::to_string).collect())
                .unwrap_or_default();
            if let Some([Value::String(provider), Value::String(project)]) =
                row.get("provider").and_then(Value::as_array).map(Vec::as_slice)
            {
                self.by_provider.insert((provider.clone(), project.clone()), id.clone());
            }
            let product = Product {
                contact_email,
                keys,
                owner_token: text("owner_token"),
                webhook_secret: text("webhook_secret"),
                ingest_secret: text("ingest_secret"),
            };
            self.products.insert(id, product);
        }
        skipped
    }

    pub(crate) fn product_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.products.keys().cloned().collect();
        ids.sort();
        ids
    }

    /// Checks a bearer token for a product's stream.
    pub(crate) fn check(&self, product_id: &str, token: Option<&str>) -> Access {
        let Some(product) = self.products.get(product_id) else {
            // Like the connector: an unauthenticated caller learns nothing about products.
            return if token.is_some_and(|t| self.is_known_key(t)) {
                Access::UnknownProduct
            } else {
                Access::Unauthorized
            };
        };
        match token {
            Some(token) if self.global_keys.contains(token) || product.keys.contains(token) => Access::Granted,
            _ => Access::Unauthorized,
        }
    }

    fn is_known_key(&self, token: &str) -> bool {
        self.global_keys.contains(token) || self.products.values().any(|p| p.keys.contains(token))
    }

    /// `POST /products`: the legacy body (`product_id`, `contact_email`, …) or the newer one
    /// (`provider`, `provider_project_id`, …).
    pub(crate) fn register(&mut self, body: &Value) -> Reply {
        let Some(object) = body.as_object() else {
            return Reply::error(400, "request body must be a JSON object");
        };
        if object.contains_key("provider") || object.contains_key("provider_project_id") {
            return self.register_provider(object);
        }
        let text = |key: &str| object.get(key).and_then(Value::as_str).map(str::trim).unwrap_or("").to_string();
        let product_id = text("product_id");
        let contact_email = text("contact_email");
        let mut missing = Vec::new();
        if product_id.is_empty() {
            missing.push("product_id");
        }
        if contact_email.is_empty() {
            missing.push("contact_email");
        }
        if !missing.is_empty() {
            return Reply::error(400, format!("missing required field(s): {}", missing.join(", ")));
        }
        if let Err(reason) = crate::connector::registration::check_product_id(&product_id) {
            return Reply::error(400, reason);
        }
        if !contact_email.contains('@') {
            return Reply::error(400, "contact_email is not an email address");
        }
        let force = object.get("force_reregister").and_then(Value::as_bool).unwrap_or(false);
        let registered = self.products.get(&product_id).is_some_and(|p| !p.contact_email.is_empty());
        if registered && !force {
            return Reply::error(409, format!("product '{product_id}' is already registered"));
        }
        let webhook_secret = match text("webhook_secret") {
            secret if secret.is_empty() => random_secret(),
            secret => secret,
        };
        let key = format!("uk_live_{}", random_token(24));
        let key_id = format!("key_{}", random_token(12));
        // Re-registration rotates: old keys stop working.
        let product = Product {
            contact_email,
            keys: HashSet::from([key.clone()]),
            owner_token: None,
            webhook_secret: Some(webhook_secret.clone()),
            ingest_secret: None,
        };
        self.products.insert(product_id.clone(), product);
        Reply {
            status: 201,
            body: json!({
                "product_id": product_id,
                "webhook_secret": webhook_secret,
                "unkey_key": key,
                "unkey_key_id": key_id,
                "dual_write": false,
            }),
        }
    }

    fn register_provider(&mut self, object: &serde_json::Map<String, Value>) -> Reply {
        let text = |key: &str| object.get(key).and_then(Value::as_str).map(str::trim).unwrap_or("").to_string();
        let provider = text("provider").to_lowercase();
        let project = text("provider_project_id");
        let contact_email = text("contact_email");
        if !matches!(provider.as_str(), "posthog" | "amplitude") {
            return Reply::error(400, "provider must be \"posthog\" or \"amplitude\"");
        }
        if project.is_empty() || contact_email.is_empty() {
            return Reply::error(400, "provider_project_id and contact_email are required");
        }
        let identity = (provider.clone(), project.clone());
        let owner_token_sent = text("owner_token");
        let existing = self.by_provider.get(&identity).cloned();
        if let Some(product_id) = &existing {
            let owner = self.products.get(product_id).and_then(|p| p.owner_token.clone());
            if owner.as_deref() != Some(owner_token_sent.as_str()) {
                return Reply::error(403, "this project is already registered; send its owner_token to re-register");
            }
        }
        let product_id = existing.clone().unwrap_or_else(|| format!("prod_{}", random_token(16)));
        let ingest_secret = match text("ingest_secret") {
            secret if secret.is_empty() => random_secret(),
            secret => secret,
        };
        let mcp_key = format!("mcp_{}", random_token(24));
        let owner_token = match &existing {
            Some(_) => owner_token_sent,
            None => format!("own_{}", random_token(24)),
        };
        self.products.insert(
            product_id.clone(),
            Product {
                contact_email,
                keys: HashSet::from([mcp_key.clone()]),
                owner_token: Some(owner_token.clone()),
                webhook_secret: None,
                ingest_secret: Some(ingest_secret.clone()),
            },
        );
        self.by_provider.insert(identity, product_id.clone());
        let mut credentials = json!({ "ingest_secret": ingest_secret, "mcp_key": mcp_key });
        if existing.is_none() {
            credentials["owner_token"] = json!(owner_token);
        }
        Reply {
            status: 201,
            body: json!({
                "product_id": product_id,
                "provider": provider,
                "provider_project_id": project,
                "credentials": credentials,
                "setup": {
                    "ingest_url": format!("/ingest/{product_id}"),
                    "ingest_auth": "Authorization: Bearer <ingest_secret>",
                    "mcp_url": "/mcp",
                    "mcp_auth": "Authorization: Bearer <mcp_key>",
                },
            }),
        }
    }
}

/// 32 random bytes, URL-safe base64 without padding (the SDK's `token_urlsafe(32)`).
pub(crate) fn random_secret() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A random alphanumeric token of `len` characters.
pub(crate) fn random_token(len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..len).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(product: &str, force: bool) -> Value {
        json!({"product_id": product, "contact_email": "ops@acme.com", "webhook_secret": "",
               "integration_type": "event_stream", "integration_config": {"mode": "sse"}, "force_reregister": force})
    }

    #[test]
    fn register_issues_a_key_that_opens_only_that_stream() {
        let mut registry = Registry::new([]);
        registry.ensure_product("other");
        let reply = registry.register(&body("acme", false));
        assert_eq!(reply.status, 201);
        let key = reply.body["unkey_key"].as_str().unwrap().to_string();
        assert!(key.starts_with("uk_live_"));
        assert_eq!(reply.body["webhook_secret"].as_str().unwrap().len(), 43);
        assert_eq!(registry.check("acme", Some(&key)), Access::Granted);
        assert_eq!(registry.check("other", Some(&key)), Access::Unauthorized);
        assert_eq!(registry.check("acme", None), Access::Unauthorized);
        assert_eq!(registry.check("nope", Some(&key)), Access::UnknownProduct);
    }

    #[test]
    fn duplicate_is_409_unless_forced_and_force_rotates_the_key() {
        let mut registry = Registry::new([]);
        let first = registry.register(&body("acme", false));
        assert_eq!(registry.register(&body("acme", false)).status, 409);
        let second = registry.register(&body("acme", true));
        assert_eq!(second.status, 201);
        let old = first.body["unkey_key"].as_str().unwrap();
        assert_eq!(registry.check("acme", Some(old)), Access::Unauthorized);
    }

    #[test]
    fn registrations_survive_a_restart() {
        let mut registry = Registry::new(["global".to_string()]);
        registry.ensure_product("demo");
        let legacy = registry.register(&body("acme", false));
        let provider =
            registry.register(&json!({"provider": "posthog", "provider_project_id": "9", "contact_email": "a@b.c"}));
        let saved = registry.registrations();
        assert_eq!(saved["products"].as_array().unwrap().len(), 2, "--product ones are not kept");
        let mut again = Registry::new([]);
        assert_eq!(again.restore(&saved), 0);
        let key = legacy.body["unkey_key"].as_str().unwrap();
        assert_eq!(again.check("acme", Some(key)), Access::Granted);
        let secret = legacy.body["webhook_secret"].as_str().unwrap().to_string();
        assert_eq!(again.inbound_secrets("acme", false), Some(vec![secret]));
        // The provider project is still known: re-registering needs its owner token.
        let request = json!({"provider": "posthog", "provider_project_id": "9", "contact_email": "a@b.c"});
        assert_eq!(again.register(&request).status, 403);
        let id = provider.body["product_id"].as_str().unwrap();
        assert!(again.product_ids().contains(&id.to_string()));
        assert_eq!(again.restore(&json!({"products": [{"product_id": 1}]})), 1);
    }

    #[test]
    fn invalid_bodies_are_400() {
        let mut registry = Registry::new([]);
        assert_eq!(registry.register(&json!([1])).status, 400);
        assert_eq!(registry.register(&json!({"product_id": "x"})).status, 400);
        assert_eq!(registry.register(&json!({"product_id": "x", "contact_email": "nope"})).status, 400);
    }

    #[test]
    fn provider_api_needs_the_owner_token_to_reregister() {
        let mut registry = Registry::new([]);
        let request = json!({"provider": "PostHog", "provider_project_id": "123", "contact_email": "a@b.c"});
        let first = registry.register(&request);
        assert_eq!(first.status, 201);
        let owner = first.body["credentials"]["owner_token"].as_str().unwrap().to_string();
        assert_eq!(registry.register(&request).status, 403);
        let mut with_owner = request.clone();
        with_owner["owner_token"] = json!(owner);
        let again = registry.register(&with_owner);
        assert_eq!(again.status, 201);
        assert_eq!(again.body["product_id"], first.body["product_id"]);
        assert!(again.body["credentials"].get("owner_token").is_none());
    }
}
