; Folds: every block and every multi-line comment.
[
  (settings_declaration)
  (region_body)
  (actor_body)
  (capability_field)
  (alliance_declaration)
  (terms)
  (except)
  (threat_body)
  (scenario_declaration)
  (name_list)
  (block_comment)
] @fold
