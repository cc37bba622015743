; Text objects in Helix's names (`maf`, `mic`, …): the queries of
; editors/tree-sitter-dtr/queries/textobjects.scm with `around`/`inside`
; for `outer`/`inner`.

(actor_declaration) @class.around
(actor_declaration body: (actor_body) @class.inside)
(alliance_declaration) @class.around
(region_declaration) @class.around
(settings_declaration) @class.around

(commitment_declaration) @function.around
(commitment_declaration terms: (terms) @function.inside)
(obligation) @function.around
(obligation terms: (terms) @function.inside)
(scenario_declaration) @function.around
(threat_declaration) @function.around
(threat_declaration body: (threat_body) @function.inside)

(name_list (identifier) @parameter.inside)
(opening) @parameter.around
(capability_entry) @parameter.around

[
  (line_comment)
  (doc_comment)
  (block_comment)
] @comment.around
