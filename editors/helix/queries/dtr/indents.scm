; Indentation in Helix: one level inside each block.
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
  (group)
] @indent

[ "}" "]" ")" ] @outdent
