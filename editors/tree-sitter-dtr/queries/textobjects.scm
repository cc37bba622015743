; Text objects in nvim-treesitter-textobjects' names: declarations with a
; body are classes (actor, alliance) or functions (commitment, obligation,
; scenario); `when:` conditions are conditionals; list items are parameters.

(actor_declaration) @class.outer
(actor_declaration body: (actor_body) @class.inner)
(alliance_declaration) @class.outer
(region_declaration) @class.outer
(settings_declaration) @class.outer

(commitment_declaration) @function.outer
(commitment_declaration terms: (terms) @function.inner)
(obligation) @function.outer
(obligation terms: (terms) @function.inner)
(scenario_declaration) @function.outer
(threat_declaration) @function.outer
(threat_declaration body: (threat_body) @function.inner)
(expect_declaration) @statement.outer

(when_field) @conditional.outer
(when_field (_) @conditional.inner .)

(name_list (identifier) @parameter.inner)
(opening) @parameter.outer
(capability_entry) @parameter.outer

[
  (line_comment)
  (doc_comment)
  (block_comment)
] @comment.outer
