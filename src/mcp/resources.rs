//! The resources: every file of every embedded skill (`autoplay://skills/{skill}/{path}`) and
//! the starting `products.json` (`autoplay://templates/products.json`).

/// One resource with its text.
pub(crate) struct EmbeddedResource {
    pub(crate) uri: String,
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) mime_type: String,
    pub(crate) text: String,
}

/// The URI of the trigger config template.
pub(crate) const TEMPLATE_URI: &str = "autoplay://templates/products.json";

/// Every resource, skills first (in install order).
pub(crate) fn all() -> Result<Vec<EmbeddedResource>, crate::skills::SkillError> {
    let mut resources = Vec::new();
    for skill in crate::skills::catalogue()? {
        for file in &skill.files {
            let Ok(text) = std::str::from_utf8(file.contents) else { continue };
            let mime = if file.path.ends_with(".md") { "text/markdown" } else { "text/plain" };
            resources.push(EmbeddedResource {
                uri: format!("autoplay://skills/{}/{}", skill.name, file.path),
                name: format!("{}/{}", skill.name, file.path),
                description: if file.path == "SKILL.md" {
                    skill.description.clone()
                } else {
                    format!("part of the {} skill", skill.name)
                },
                mime_type: mime.to_string(),
                text: text.to_string(),
            });
        }
    }
    resources.push(EmbeddedResource {
        uri: TEMPLATE_URI.to_string(),
        name: "products.json".to_string(),
        description: "the commented starting trigger config (`autoplay triggers init`)".to_string(),
        mime_type: "application/json".to_string(),
        text: crate::templates::PRODUCTS_JSON.to_string(),
    });
    Ok(resources)
}
