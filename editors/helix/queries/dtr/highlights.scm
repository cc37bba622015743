; Highlights for DTR in Helix: the queries of editors/tree-sitter-dtr with
; Helix's scope names (Helix lets the first matching pattern win; no two
; patterns here capture the same node).

[
  (line_comment)
  (block_comment)
] @comment

(doc_comment) @comment.block.documentation

[
  "import"
] @keyword.control.import

[
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
] @keyword.storage.modifier

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

(field_name) @variable.other.member

(string) @string
(escape_sequence) @constant.character.escape

[
  (number)
  (percent)
  (date)
] @constant.numeric

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
(capability_entry domain: (identifier) @variable.other.member)
