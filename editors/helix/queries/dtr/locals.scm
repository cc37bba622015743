; Scopes, definitions and references, for editors that highlight or jump by
; them (nvim-treesitter, Helix, `tree-sitter highlight`). A DTR file is one
; scope: every declared name is visible everywhere in it, before and after
; its declaration, and imports add to it (the language server resolves those).

(source_file) @local.scope

(actor_declaration name: (identifier) @local.definition)
(alliance_declaration name: (identifier) @local.definition)
(domain_declaration name: (identifier) @local.definition)
(region_declaration name: (identifier) @local.definition)
(commitment_declaration name: (identifier) @local.definition)
(obligation name: (identifier) @local.definition)
(scenario_declaration name: (identifier) @local.definition)
(ladder_field (name_list (identifier) @local.definition))

; Every other identifier refers to a declaration (or a built-in domain or
; rung, which have none).
(identifier) @local.reference
