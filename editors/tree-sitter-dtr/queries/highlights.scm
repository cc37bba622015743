; Highlights for DTR. Capture names are the common ones understood by
; Neovim (0.7 and later), Helix and `tree-sitter highlight`. No two patterns
; capture the same node, so the result does not depend on whether an editor
; lets the first (Helix) or the last (Neovim) matching pattern win.

[
  (line_comment)
  (block_comment)
] @comment

(doc_comment) @comment.documentation

[
  "import"
  "settings"
  "domain"
  "region"
  "actor"
  "alliance"
  "obligation"
  "commitment"
  "threat"
  "scenario"
  "expect"
] @keyword

[
  (obligation_kind)
  (commitment_kind)
  "attacks"
] @type.qualifier

[
  "unprovoked"
  "attack"
  "on"
  "by"
  "in"
  "within"
  "at"
  "war"
  "between"
  "with"
  "threat_to"
  (provoked)
  "joins"
  "reaches"
  "stays"
  "out"
  "gap"
  "no"
] @keyword

[
  "and"
  "or"
  "not"
] @keyword.operator

[
  (member)
  (any)
] @variable.builtin

"P" @function.builtin

(field_name) @property

(string) @string
(escape_sequence) @string.escape

[
  (number)
  (percent)
  (date)
] @number

[
  "->"
  (comparison)
  (at_least)
] @operator

[ "{" "}" "[" "]" "(" ")" ] @punctuation.bracket
[ "," ":" ] @punctuation.delimiter

; Declared names.
(actor_declaration name: (identifier) @type)
(alliance_declaration name: (identifier) @type)
(domain_declaration name: (identifier) @constant)
(region_declaration name: (identifier) @constant)
(commitment_declaration name: (identifier) @function)
(obligation name: (identifier) @function)
(scenario_declaration name: (identifier) @function)

; Rungs of the escalation ladder.
(ladder_field (name_list (identifier) @constant))
(opening_field (identifier) @constant)
(response_field (identifier) @constant)
(at_clause (identifier) @constant)
(rung_clause (identifier) @constant)
(reaches rung: (identifier) @constant)
(not_reaches rung: (identifier) @constant)

; Domains as capability keys.
(capability_entry domain: (identifier) @property)
