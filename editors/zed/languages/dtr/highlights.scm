; Highlights for DTR in Zed: editors/tree-sitter-dtr/queries/highlights.scm
; with Zed's name for doc comments (@comment.doc); tests/editors.rs keeps
; the two in step.

[
  (line_comment)
  (block_comment)
] @comment

(doc_comment) @comment.doc

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
  "opening"
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

; References: names used, not declared, coloured as their declarations
; are (so an editor that colours references through locals.scm agrees).
; Actors and alliances:
(members_field (name_list (identifier) @type))
(commitment_declaration actor: (identifier) @type)
(commitment_declaration target: (identifier) @type)
(threat_declaration aggressor: (identifier) @type)
(threat_declaration targets: (identifier) @type)
(threat_declaration targets: (name_list (identifier) @type))
(opening aggressor: (identifier) @type)
(opening victim: (identifier) @type)
(except_entry actor: (identifier) @type)
(on_clause (identifier) @type)
(on_clause (name_list (identifier) @type))
(by_clause (identifier) @type)
(by_clause (name_list (identifier) @type))
(war_between (identifier) @type)
(war_between (name_list (identifier) @type))
(war_with (identifier) @type)
(war_with (name_list (identifier) @type))
(threat_to (identifier) @type)
(threat_to (name_list (identifier) @type))
(joins actor: (identifier) @type)
(stays_out actor: (identifier) @type)
(attacks actor: (identifier) @type)
(gap_expectation aggressor: (identifier) @type)
(gap_expectation target: (identifier) @type)
(no_gap_expectation aggressor: (identifier) @type)
(no_gap_expectation target: (identifier) @type)
; Domains and regions:
(domains_field (identifier) @constant)
(domains_field (name_list (identifier) @constant))
(in_clause (identifier) @constant)
(in_clause (name_list (identifier) @constant))
(within_clause (identifier) @constant)
(within_clause (name_list (identifier) @constant))
(region_field (identifier) @constant)
(contains_field (name_list (identifier) @constant))
(gap_expectation domain: (identifier) @constant)
(no_gap_expectation domain: (identifier) @constant)
; The reason of a gap is one of five fixed words.
(gap_expectation reason: (identifier) @constant.builtin)
; Scenarios named by an expectation:
(scenario_expectation scenario: (identifier) @function)
