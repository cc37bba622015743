//! This crate provides Dtr language support for the [tree-sitter] parsing library.
//!
//! Typically, you will use the [`LANGUAGE`] constant to add this language to a
//! tree-sitter [`Parser`], and then use the parser to parse some code:
//!
//! ```
//! let code = r#"
//! "#;
//! let mut parser = tree_sitter::Parser::new();
//! let language = tree_sitter_dtr::LANGUAGE;
//! parser
//!     .set_language(&language.into())
//!     .expect("Error loading Dtr parser");
//! let tree = parser.parse(code, None).unwrap();
//! assert!(!tree.root_node().has_error());
//! ```
//!
//! [`Parser`]: https://docs.rs/tree-sitter/0.27.1/tree_sitter/struct.Parser.html
//! [tree-sitter]: https://tree-sitter.github.io/

use tree_sitter_language::LanguageFn;

unsafe extern "C" {
    fn tree_sitter_dtr() -> *const ();
}

/// The tree-sitter [`LanguageFn`] for this grammar.
pub const LANGUAGE: LanguageFn = unsafe { LanguageFn::from_raw(tree_sitter_dtr) };

/// The content of the [`node-types.json`] file for this grammar.
///
/// [`node-types.json`]: https://tree-sitter.github.io/tree-sitter/using-parsers/6-static-node-types
pub const NODE_TYPES: &str = include_str!("../../src/node-types.json");

#[cfg(with_highlights_query)]
/// The syntax highlighting query for this grammar.
pub const HIGHLIGHTS_QUERY: &str = include_str!("../../queries/highlights.scm");

#[cfg(with_injections_query)]
/// The language injection query for this grammar.
pub const INJECTIONS_QUERY: &str = include_str!("../../queries/injections.scm");

#[cfg(with_locals_query)]
/// The local variable query for this grammar.
pub const LOCALS_QUERY: &str = include_str!("../../queries/locals.scm");

#[cfg(with_tags_query)]
/// The symbol tagging query for this grammar.
pub const TAGS_QUERY: &str = include_str!("../../queries/tags.scm");

#[cfg(test)]
mod tests {
    fn parser() -> tree_sitter::Parser {
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&super::LANGUAGE.into()).expect("Error loading Dtr parser");
        parser
    }

    #[test]
    fn test_can_load_grammar() {
        parser();
    }

    /// Every example of the repository parses without an error node.
    #[test]
    fn parses_the_examples() {
        let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
        let mut parsed = 0;
        for entry in std::fs::read_dir(&examples).expect("examples/") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|ext| ext == "dtr") {
                let text = std::fs::read_to_string(&path).expect("example");
                let tree = parser().parse(&text, None).expect("a tree");
                assert!(!tree.root_node().has_error(), "{} parses with errors", path.display());
                parsed += 1;
            }
        }
        assert!(parsed >= 5, "{parsed} examples");
    }

    #[test]
    fn the_queries_compile() {
        let language = super::LANGUAGE.into();
        for query in [super::HIGHLIGHTS_QUERY, super::LOCALS_QUERY, super::TAGS_QUERY] {
            tree_sitter::Query::new(&language, query).expect("query compiles");
        }
    }
}
