-- DTR support for Neovim 0.7+: starts `dtr lsp` for every DTR buffer and,
-- when a compiled tree-sitter parser is given, highlights with it. Where
-- newer Neovim versions replaced an API, the newer one is used if present.
--
--   require('dtr').setup({
--     cmd = { 'dtr', 'lsp' },                       -- the default
--     on_attach = function(client, bufnr) end,       -- optional, e.g. key maps
--     parser = '/path/to/dtr.so',                    -- optional
--     queries = '/path/to/tree-sitter-dtr/queries',  -- with parser
--   })
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

local function client_config(opts, bufnr)
  return {
    name = 'dtr',
    cmd = opts.cmd,
    root_dir = root_dir(vim.api.nvim_buf_get_name(bufnr)),
    on_attach = function(client, buf)
      -- Code lenses (the deterrence gaps of each threat) are not pulled by
      -- Neovim itself: refresh them on open, save and leaving insert mode.
      if client.server_capabilities and client.server_capabilities.codeLensProvider then
        vim.lsp.codelens.refresh()
        vim.api.nvim_create_autocmd({ 'BufEnter', 'BufWritePost', 'InsertLeave' }, {
          buffer = buf,
          callback = function()
            vim.lsp.codelens.refresh()
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

function M.setup(user)
  local opts = vim.tbl_deep_extend('force', defaults, user or {})
  if opts.parser then
    setup_treesitter(opts)
  end
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
