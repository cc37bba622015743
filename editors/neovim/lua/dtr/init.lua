-- DTR support for Neovim 0.7+: starts `dtr lsp` for every DTR buffer and,
-- when a compiled tree-sitter parser is given, highlights with it. Where
-- newer Neovim versions replaced an API, the newer one is used if present.
--
--   require('dtr').setup({
--     cmd = { 'dtr', 'lsp' },                       -- the default
--     on_attach = function(client, bufnr) end,       -- optional, e.g. key maps
--     parser = '/path/to/dtr.so',                    -- optional
--     queries = '/path/to/tree-sitter-dtr/queries',  -- with parser
--     open = function(path) end,                     -- optional: how to open
--   })                                               -- the escalation page
--
-- :DtrEscalation [SCENARIO] opens the current file's HTML report (the
-- escalation graphs, `dtr analyze --format html`) in the browser, as the
-- `escalation graph` lens of a scenario does.
local M = {}

local defaults = { cmd = { 'dtr', 'lsp' } }

local function root_dir(path)
  local dir = vim.fn.fnamemodify(path, ':p:h')
  local marker = vim.fn.finddir('.git', dir .. ';')
  if marker ~= '' then
    return vim.fn.fnamemodify(marker, ':p:h:h')
  end
  return dir
end

-- client:request on 0.11+, where the dot form is deprecated.
local function request(client, method, params, handler, bufnr)
  if vim.fn.has('nvim-0.11') == 1 then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

-- Code lenses (the deterrence gaps of each threat, the entrants and
-- expectations of each scenario). Neovim 0.7 neither asks for them by
-- itself nor clears them when the reply is empty (a file that stops
-- checking has none), so the plugin asks, and clears on an empty reply.
local function on_lenses(err, result, ctx, config)
  if not err and (result == nil or vim.tbl_isempty(result)) then
    local ns = vim.api.nvim_get_namespaces()['vim_lsp_codelens:' .. ctx.client_id]
    if ns and vim.api.nvim_buf_is_loaded(ctx.bufnr) then
      vim.api.nvim_buf_clear_namespace(ctx.bufnr, ns, 0, -1)
    end
  end
  vim.lsp.codelens.on_codelens(err, result, ctx, config)
end

local function refresh_lenses(client, bufnr)
  if vim.api.nvim_buf_is_loaded(bufnr) then
    request(client, 'textDocument/codeLens', { textDocument = { uri = vim.uri_from_bufnr(bufnr) } }, on_lenses, bufnr)
  end
end

-- The report a lens's `dtr.showReport` returns, in a scratch window.
local function show_report(text, command)
  vim.cmd('new')
  local buf = vim.api.nvim_get_current_buf()
  vim.bo[buf].buftype = 'nofile'
  vim.bo[buf].bufhidden = 'wipe'
  vim.bo[buf].swapfile = false
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, vim.split((text:gsub('\n$', '')), '\n', { plain = true }))
  vim.bo[buf].modifiable = false
  local scenario = command.arguments and command.arguments[2]
  pcall(vim.api.nvim_buf_set_name, buf, 'dtr report' .. (scenario and (' ' .. scenario) or '') .. ' (' .. buf .. ')')
end

-- Opens a file with the desktop's handler: vim.ui.open on 0.10+, else
-- open (macOS), explorer (Windows) or xdg-open.
local function open_file(opts, path)
  if opts.open then
    return opts.open(path)
  end
  if vim.ui.open then
    return vim.ui.open(path)
  end
  local opener = vim.fn.has('mac') == 1 and 'open' or (vim.fn.has('win32') == 1 and 'explorer' or 'xdg-open')
  vim.fn.jobstart({ opener, path }, { detach = true })
end

-- The page `dtr.showEscalation` returns, written to a temporary file and
-- opened in the browser.
local function show_escalation(opts, html, scenario)
  local path = vim.fn.tempname() .. '-' .. (scenario or 'escalation') .. '.html'
  local file = assert(io.open(path, 'w'))
  file:write(html)
  file:close()
  open_file(opts, path)
end

-- Runs one of the server's commands and hands its result to `show`.
local function run_command(client, bufnr, command, arguments, show)
  request(client, 'workspace/executeCommand', { command = command, arguments = arguments }, function(err, result)
    if err then
      vim.notify('dtr: ' .. tostring(err.message), vim.log.levels.ERROR)
    else
      show(result)
    end
    -- Running a lens clears its line; show it again.
    refresh_lenses(client, bufnr)
  end, bufnr)
end

local function client_config(opts, bufnr)
  local capabilities = vim.lsp.protocol.make_client_capabilities()
  capabilities.workspace = capabilities.workspace or {}
  capabilities.workspace.codeLens = { refreshSupport = true }
  return {
    name = 'dtr',
    cmd = opts.cmd,
    root_dir = root_dir(vim.api.nvim_buf_get_name(bufnr)),
    capabilities = capabilities,
    handlers = {
      -- Sent by the server whenever the lenses change (after each check).
      ['workspace/codeLens/refresh'] = function(_, _, ctx)
        local client = vim.lsp.get_client_by_id(ctx.client_id)
        for buf in pairs(client and client.attached_buffers or {}) do
          refresh_lenses(client, buf)
        end
        return vim.NIL
      end,
    },
    -- The lenses' commands run on the server (`dtr.runExpectations` answers
    -- with a message, which Neovim shows); the report comes back as text,
    -- shown here, the escalation as a page, opened in the browser.
    commands = {
      ['dtr.showReport'] = function(command, ctx)
        run_command(vim.lsp.get_client_by_id(ctx.client_id), ctx.bufnr, command.command, command.arguments, function(report)
          show_report(report, command)
        end)
      end,
      ['dtr.showEscalation'] = function(command, ctx)
        run_command(vim.lsp.get_client_by_id(ctx.client_id), ctx.bufnr, command.command, command.arguments, function(html)
          show_escalation(opts, html, command.arguments and command.arguments[2])
        end)
      end,
    },
    on_attach = function(client, buf)
      if client.server_capabilities and client.server_capabilities.codeLensProvider then
        refresh_lenses(client, buf)
        vim.api.nvim_create_autocmd({ 'BufEnter', 'BufWritePost', 'InsertLeave' }, {
          buffer = buf,
          callback = function()
            refresh_lenses(client, buf)
          end,
        })
      end
      if opts.on_attach then
        opts.on_attach(client, buf)
      end
    end,
  }
end

-- Neovim 0.7 has only vim.lsp.start_client: one client is started and
-- attached to every DTR buffer (the server resolves imports itself).
local client_id = nil
local function start_client(opts, bufnr)
  if client_id == nil or vim.lsp.get_client_by_id(client_id) == nil then
    client_id = vim.lsp.start_client(client_config(opts, bufnr))
  end
  if client_id then
    vim.lsp.buf_attach_client(bufnr, client_id)
  end
end

local function attach_lsp(opts, bufnr)
  if vim.fn.executable(opts.cmd[1]) ~= 1 then
    vim.notify_once('dtr: ' .. opts.cmd[1] .. ' not found; set cmd in require("dtr").setup()', vim.log.levels.WARN)
    return
  end
  if vim.lsp.start then
    -- 0.8+: reuses the client with the same name and root directory.
    vim.lsp.start(client_config(opts, bufnr), { bufnr = bufnr })
  else
    start_client(opts, bufnr)
  end
end

local function read_file(path)
  local file = io.open(path, 'r')
  if not file then
    return nil
  end
  local text = file:read('*a')
  file:close()
  return text
end

-- Registers the parser and its queries: language.add and query.set on
-- 0.9+, require_language and set_query before.
local function setup_treesitter(opts)
  local add = vim.treesitter.language and vim.treesitter.language.add
  if add then
    add('dtr', { path = opts.parser })
  else
    vim.treesitter.require_language('dtr', opts.parser)
  end
  if opts.queries then
    local set = vim.treesitter.query.set or vim.treesitter.query.set_query
    for _, name in ipairs({ 'highlights', 'folds', 'indents', 'locals', 'textobjects' }) do
      local text = read_file(opts.queries .. '/' .. name .. '.scm')
      if text then
        set('dtr', name, text)
      end
    end
  end
end

-- The dtr client attached to a buffer (0.7's get_active_clients takes no filter).
local function dtr_client(bufnr)
  for _, client in pairs(vim.lsp.get_active_clients()) do
    if client.name == 'dtr' and client.attached_buffers[bufnr] then
      return client
    end
  end
end

-- The server's semantic token types (docs/lsp.md) are DTR's own; Neovim
-- 0.9+ colours a token with the group `@lsp.type.<type>`, so each is
-- linked to a standard group (`default`: a colour scheme's own link wins).
-- Neovim 0.7 and 0.8 do not ask for semantic tokens.
M.token_groups = {
  actor = '@type',
  alliance = '@type',
  domain = '@constant',
  region = '@namespace',
  commitment = '@function',
  scenario = '@function',
  rung = '@constant',
  keyword = '@keyword',
  number = '@number',
  date = '@number',
}

function M.link_token_groups()
  if vim.fn.has('nvim-0.9') == 1 then
    for type, group in pairs(M.token_groups) do
      vim.api.nvim_set_hl(0, '@lsp.type.' .. type .. '.dtr', { link = group, default = true })
    end
  end
end

function M.setup(user)
  local opts = vim.tbl_deep_extend('force', defaults, user or {})
  M.link_token_groups()
  if opts.parser then
    setup_treesitter(opts)
  end
  vim.api.nvim_create_user_command('DtrEscalation', function(args)
    local bufnr = vim.api.nvim_get_current_buf()
    local client = dtr_client(bufnr)
    if not client then
      vim.notify('dtr: no DTR language server for this buffer', vim.log.levels.ERROR)
      return
    end
    local scenario = args.args ~= '' and args.args or nil
    local arguments = { vim.uri_from_bufnr(bufnr), scenario }
    run_command(client, bufnr, 'dtr.showEscalation', arguments, function(html)
      show_escalation(opts, html, scenario)
    end)
  end, { nargs = '?', desc = 'Open the escalation graphs of this DTR file (or of one scenario) in the browser' })
  local group = vim.api.nvim_create_augroup('dtr', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = 'dtr',
    callback = function(args)
      attach_lsp(opts, args.buf)
      if opts.parser then
        if vim.treesitter.start then
          vim.treesitter.start(args.buf, 'dtr')
        else
          vim.treesitter.highlighter.new(vim.treesitter.get_parser(args.buf, 'dtr'))
        end
      end
    end,
  })
end

return M
