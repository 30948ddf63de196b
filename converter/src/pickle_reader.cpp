#include "grurt_convert/pickle_reader.hpp"

#include <cstring>
#include <map>
#include <memory>

#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/tensor_map.hpp"

namespace grurt::convert {
namespace {

// One pickled value. The machine owns every object it makes; the stack, the
// memo and containers hold plain pointers to them, so the memo and the stack
// see the same object (SETITEMS on a memoised dict), and a container that
// holds itself is freed with the rest instead of leaking as a shared_ptr cycle.
struct Object {
  enum class Kind { kNone, kBool, kInt, kFloat, kString, kTuple, kList, kDict, kGlobal, kStorage, kTensor };
  Kind kind = Kind::kNone;
  std::int64_t integer = 0;  // kBool, kInt
  double real = 0.0;         // kFloat
  std::string text;          // kString; kGlobal "module.name"
  std::vector<Object*> items;  // kTuple, kList; kDict as key, value, key, value...
  PickledTensor tensor;      // kStorage (key, dtype, numel), kTensor
};
using Ref = Object*;
using Kind = Object::Kind;

const std::map<std::string, std::string>& storage_dtypes() {
  static const std::map<std::string, std::string> dtypes = {
      {"torch.FloatStorage", "F32"},    {"torch.HalfStorage", "F16"},  {"torch.BFloat16Storage", "BF16"},
      {"torch.DoubleStorage", "F64"},   {"torch.LongStorage", "I64"},  {"torch.IntStorage", "I32"},
      {"torch.ShortStorage", "I16"},    {"torch.CharStorage", "I8"},   {"torch.ByteStorage", "U8"},
      {"torch.BoolStorage", "BOOL"}};
  return dtypes;
}

bool is_allowed_callable(const std::string& name) {
  return name == "collections.OrderedDict" || name == "torch._utils._rebuild_tensor_v2" ||
         name == "torch._utils._rebuild_parameter" || name == "torch._utils._rebuild_parameter_with_state";
}

class Machine {
 public:
  Machine(const std::uint8_t* bytes, std::size_t size) : bytes_(bytes), size_(size) {}

  Ref run() {
    while (true) {
      if (at_ >= size_) fail("the pickle ends without a STOP opcode (truncated data.pkl?)");
      op_at_ = at_;
      const std::uint8_t op = bytes_[at_++];
      if (op == '.') break;
      execute(op);
    }
    if (stack_.size() != 1) fail("STOP with " + std::to_string(stack_.size()) + " values on the stack, expected 1");
    return stack_.back();
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw ConversionError("data.pkl: byte " + std::to_string(op_at_) + ": " + what);
  }

  const std::uint8_t* take(std::size_t count) {
    if (count > size_ - at_) fail("the pickle ends inside an opcode's argument (truncated data.pkl?)");
    const std::uint8_t* p = bytes_ + at_;
    at_ += count;
    return p;
  }
  std::uint64_t little(std::size_t count) {
    const std::uint8_t* p = take(count);
    std::uint64_t value = 0;
    for (std::size_t i = count; i > 0; --i) value = (value << 8) | p[i - 1];
    return value;
  }
  std::string line() {
    const std::size_t start = at_;
    while (at_ < size_ && bytes_[at_] != '\n') ++at_;
    if (at_ >= size_) fail("GLOBAL name is not terminated");
    return std::string(reinterpret_cast<const char*>(bytes_ + start), at_++ - start);
  }

  Ref make(Kind kind) {
    objects_.push_back(std::make_unique<Object>());
    objects_.back()->kind = kind;
    return objects_.back().get();
  }
  void push(Ref value) {
    if (stack_.size() >= kMaxPickleStack) fail("stack deeper than " + std::to_string(kMaxPickleStack));
    stack_.push_back(value);
  }
  Ref pop() {
    if (stack_.size() <= floor()) fail("stack underflow");
    Ref value = stack_.back();
    stack_.pop_back();
    return value;
  }
  Ref& top() {
    if (stack_.size() <= floor()) fail("stack underflow");
    return stack_.back();
  }
  std::size_t floor() const { return marks_.empty() ? 0 : marks_.back(); }
  std::vector<Ref> pop_to_mark() {
    if (marks_.empty()) fail("no MARK to pop to");
    std::vector<Ref> items(stack_.begin() + static_cast<std::ptrdiff_t>(marks_.back()), stack_.end());
    stack_.resize(marks_.back());
    marks_.pop_back();
    return items;
  }
  void memo_put(std::uint64_t key) {
    if (memo_.size() >= kMaxPickleMemo && !memo_.count(key)) fail("memo larger than " + std::to_string(kMaxPickleMemo));
    memo_[key] = top();
  }
  void memo_get(std::uint64_t key) {
    const auto found = memo_.find(key);
    if (found == memo_.end()) fail("memo key " + std::to_string(key) + " was never stored");
    push(found->second);
  }
  void push_string(std::size_t length) {
    const std::uint8_t* p = take(length);
    Ref s = make(Kind::kString);
    s->text.assign(reinterpret_cast<const char*>(p), length);
    push(s);
  }
  void push_int(std::int64_t value) {
    Ref i = make(Kind::kInt);
    i->integer = value;
    push(i);
  }
  Ref tuple(std::vector<Ref> items) {
    Ref t = make(Kind::kTuple);
    t->items = std::move(items);
    return t;
  }

  void global(const std::string& module, const std::string& name) {
    const std::string full = module + "." + name;
    if (!is_allowed_callable(full) && storage_dtypes().count(full) == 0) {
      std::string hint;
      if (module == "__main__" || module.rfind("torch.nn", 0) == 0) {
        hint = "; this looks like a whole pickled model (torch.save(model)): re-save the weights with "
               "torch.save(model.state_dict(), path)";
      }
      fail("global '" + full + "' is not allowed: a state_dict pickle only uses collections.OrderedDict, "
           "torch._utils._rebuild_tensor_v2 / _rebuild_parameter and torch storage types" + hint);
    }
    Ref g = make(Kind::kGlobal);
    g->text = full;
    push(g);
  }

  static bool is_int_tuple(const Ref& value) {
    if (value->kind != Kind::kTuple) return false;
    for (const Ref& item : value->items)
      if (item->kind != Kind::kInt) return false;
    return true;
  }

  Ref reduce(const Ref& callable, const Ref& args) {
    if (callable->kind != Kind::kGlobal || args->kind != Kind::kTuple) fail("REDUCE needs a global and a tuple");
    const auto& a = args->items;
    if (callable->text == "collections.OrderedDict") return make(Kind::kDict);
    if (callable->text == "torch._utils._rebuild_tensor_v2") {
      if (a.size() < 4 || a[0]->kind != Kind::kStorage || a[1]->kind != Kind::kInt || !is_int_tuple(a[2]) ||
          !is_int_tuple(a[3]) || a[2]->items.size() != a[3]->items.size()) {
        fail("_rebuild_tensor_v2 arguments are not (storage, offset, size, stride, ...)");
      }
      Ref tensor = make(Kind::kTensor);
      tensor->tensor = a[0]->tensor;
      if (a[1]->integer < 0) fail("negative storage offset");
      tensor->tensor.offset = static_cast<std::uint64_t>(a[1]->integer);
      for (const Ref& s : a[2]->items) tensor->tensor.sizes.push_back(s->integer);
      for (const Ref& s : a[3]->items) tensor->tensor.strides.push_back(s->integer);
      return tensor;
    }
    // _rebuild_parameter(data, requires_grad, hooks[, state]): the parameter is its data.
    if (a.empty() || a[0]->kind != Kind::kTensor) fail(callable->text + " expects a tensor as first argument");
    return a[0];
  }

  void execute(std::uint8_t op) {
    switch (op) {
      case 0x80: take(1); return;            // PROTO
      case 0x95: take(8); return;            // FRAME
      case '(': marks_.push_back(stack_.size()); return;  // MARK
      case 'N': push(make(Kind::kNone)); return;
      case 0x88: case 0x89: {                // NEWTRUE, NEWFALSE
        Ref b = make(Kind::kBool);
        b->integer = op == 0x88;
        push(b);
        return;
      }
      case 'K': push_int(static_cast<std::int64_t>(little(1))); return;  // BININT1
      case 'M': push_int(static_cast<std::int64_t>(little(2))); return;  // BININT2
      case 'J': push_int(static_cast<std::int32_t>(little(4))); return;  // BININT
      case 0x8a: {                           // LONG1
        const std::size_t n = static_cast<std::size_t>(little(1));
        if (n > 8) fail("integer of " + std::to_string(n) + " bytes is too large");
        std::uint64_t value = n ? little(n) : 0;
        if (n > 0 && n < 8 && (value >> (8 * n - 1)) & 1u) value |= ~0ull << (8 * n);  // sign-extend
        push_int(static_cast<std::int64_t>(value));
        return;
      }
      case 'G': {                            // BINFLOAT, big-endian double
        const std::uint8_t* p = take(8);
        std::uint64_t bits = 0;
        for (int i = 0; i < 8; ++i) bits = (bits << 8) | p[i];
        Ref f = make(Kind::kFloat);
        std::memcpy(&f->real, &bits, sizeof bits);
        push(f);
        return;
      }
      case 'X': push_string(static_cast<std::size_t>(little(4))); return;  // BINUNICODE
      case 0x8c: push_string(static_cast<std::size_t>(little(1))); return;  // SHORT_BINUNICODE
      case 0x8d: {                           // BINUNICODE8
        const std::uint64_t n = little(8);
        if (n > size_) fail("string longer than the pickle");
        push_string(static_cast<std::size_t>(n));
        return;
      }
      case 'T': push_string(static_cast<std::size_t>(little(4))); return;  // BINSTRING
      case 'U': push_string(static_cast<std::size_t>(little(1))); return;  // SHORT_BINSTRING
      case ')': push(make(Kind::kTuple)); return;
      case ']': push(make(Kind::kList)); return;
      case '}': push(make(Kind::kDict)); return;
      case 't': push(tuple(pop_to_mark())); return;
      case 0x85: { Ref a = pop(); push(tuple({a})); return; }
      case 0x86: { Ref b = pop(), a = pop(); push(tuple({a, b})); return; }
      case 0x87: { Ref c = pop(), b = pop(), a = pop(); push(tuple({a, b, c})); return; }
      case 'q': memo_put(little(1)); return;  // BINPUT
      case 'r': memo_put(little(4)); return;  // LONG_BINPUT
      case 0x94: memo_put(memo_.size()); return;  // MEMOIZE
      case 'h': memo_get(little(1)); return;  // BINGET
      case 'j': memo_get(little(4)); return;  // LONG_BINGET
      case 'c': {                            // GLOBAL
        const std::string module = line();
        global(module, line());
        return;
      }
      case 0x93: {                           // STACK_GLOBAL
        Ref name = pop(), module = pop();
        if (name->kind != Kind::kString || module->kind != Kind::kString) fail("STACK_GLOBAL needs two strings");
        global(module->text, name->text);
        return;
      }
      case 'Q': {                            // BINPERSID: ('storage', type, key, location, numel)
        Ref pid = pop();
        const auto& p = pid->items;
        if (pid->kind != Kind::kTuple || p.size() != 5 || p[0]->kind != Kind::kString || p[0]->text != "storage" ||
            p[1]->kind != Kind::kGlobal || p[2]->kind != Kind::kString || p[4]->kind != Kind::kInt ||
            storage_dtypes().count(p[1]->text) == 0 || p[4]->integer < 0) {
          fail("persistent id is not ('storage', <torch storage type>, key, location, numel)");
        }
        Ref storage = make(Kind::kStorage);
        storage->tensor.storage_key = p[2]->text;
        storage->tensor.dtype = storage_dtypes().at(p[1]->text);
        storage->tensor.storage_numel = static_cast<std::uint64_t>(p[4]->integer);
        push(storage);
        return;
      }
      case 'R': {                            // REDUCE
        Ref args = pop(), callable = pop();
        push(reduce(callable, args));
        return;
      }
      case 'b': {                            // BUILD: OrderedDict._metadata or tensor state; not needed
        pop();
        const Kind kind = top()->kind;
        if (kind != Kind::kDict && kind != Kind::kTensor) fail("BUILD on something that is not a dict or tensor");
        return;
      }
      case 's': {                            // SETITEM
        Ref value = pop(), key = pop();
        Ref& dict = top();
        if (dict->kind != Kind::kDict) fail("SETITEM on something that is not a dict");
        dict->items.push_back(key);
        dict->items.push_back(value);
        return;
      }
      case 'u': {                            // SETITEMS
        std::vector<Ref> items = pop_to_mark();
        Ref& dict = top();
        if (dict->kind != Kind::kDict || items.size() % 2 != 0) fail("SETITEMS on something that is not a dict");
        dict->items.insert(dict->items.end(), items.begin(), items.end());
        return;
      }
      case 'a': {                            // APPEND
        Ref value = pop();
        if (top()->kind != Kind::kList) fail("APPEND on something that is not a list");
        top()->items.push_back(value);
        return;
      }
      case 'e': {                            // APPENDS
        std::vector<Ref> items = pop_to_mark();
        if (top()->kind != Kind::kList) fail("APPENDS on something that is not a list");
        top()->items.insert(top()->items.end(), items.begin(), items.end());
        return;
      }
      default: {
        static const char* digits = "0123456789abcdef";
        fail(std::string("opcode 0x") + digits[op >> 4] + digits[op & 15] +
             " is not one a state_dict pickle uses; refusing to interpret it");
      }
    }
  }

  const std::uint8_t* bytes_;
  std::size_t size_;
  std::size_t at_ = 0;
  std::size_t op_at_ = 0;
  std::vector<Ref> stack_;
  std::vector<std::size_t> marks_;
  std::map<std::uint64_t, Ref> memo_;
  std::vector<std::unique_ptr<Object>> objects_;
};

// Collects tensors from a (possibly nested) string-keyed dict; other values
// (epoch numbers, hyper-parameters) are not weights and are skipped.
void collect(const Ref& dict, const std::string& prefix, int depth, std::size_t& visited,
             std::vector<PickledTensor>& out) {
  if (depth > kMaxDictNesting) throw ConversionError("data.pkl: dicts nested deeper than " + std::to_string(kMaxDictNesting));
  for (std::size_t i = 0; i + 1 < dict->items.size(); i += 2) {
    if (++visited > kMaxDictEntriesVisited) {
      throw ConversionError("data.pkl: more than " + std::to_string(kMaxDictEntriesVisited) +
                            " dict entries (shared dicts referenced over and over?); not a state_dict");
    }
    const Ref& key = dict->items[i];
    const Ref& value = dict->items[i + 1];
    if (key->kind != Kind::kString) continue;
    if (value->kind == Kind::kTensor) {
      if (out.size() == kMaxTensors) {
        throw ConversionError("data.pkl: more than " + std::to_string(kMaxTensors) + " tensors; the limit is " +
                              std::to_string(kMaxTensors));
      }
      out.push_back(value->tensor);
      out.back().name = prefix + key->text;
    } else if (value->kind == Kind::kDict) {
      collect(value, prefix + key->text + ".", depth + 1, visited, out);
    }
  }
}

// True when the dict holds a tensor under a string key (not counting nested
// dicts); with `shaped`, only a tensor of one dimension or more counts (a
// checkpoint's scalar 'loss' is no weight).
bool holds_tensors(const Ref& dict, std::size_t& visited, bool shaped = false) {
  for (std::size_t i = 0; i + 1 < dict->items.size(); i += 2) {
    if (++visited > kMaxDictEntriesVisited) {
      throw ConversionError("data.pkl: more than " + std::to_string(kMaxDictEntriesVisited) +
                            " dict entries (shared dicts referenced over and over?); not a state_dict");
    }
    const Ref& value = dict->items[i + 1];
    if (dict->items[i]->kind == Kind::kString && value->kind == Kind::kTensor &&
        (!shaped || !value->tensor.sizes.empty())) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::vector<PickledTensor> read_state_dict_pickle(const std::uint8_t* bytes, std::size_t size,
                                                  std::string* state_dict_key) {
  Machine machine(bytes, size);
  const Ref root = machine.run();
  if (root->kind != Kind::kDict) {
    throw ConversionError("data.pkl: the pickled object is not a dict of tensors (a state_dict); re-save with "
                          "torch.save(model.state_dict(), path)");
  }
  std::size_t visited = 0;
  Ref state_dict = root;
  // A checkpoint dict ({'epoch': 3, 'model_state_dict': {...}, 'optimizer_state_dict': {...},
  // 'loss': <scalar tensor>}, Lightning's {'state_dict': {...}, 'optimizer_states': [...], ...})
  // holds no weight itself: its state_dict is the one entry that is a dict of
  // tensors. An optimizer's state_dict keys its tensors by parameter number, so
  // it is not one.
  if (!holds_tensors(root, visited, true)) {
    std::vector<std::string> keys;
    for (std::size_t i = 0; i + 1 < root->items.size(); i += 2) {
      const Ref& key = root->items[i];
      const Ref& value = root->items[i + 1];
      if (key->kind == Kind::kString && value->kind == Kind::kDict && holds_tensors(value, visited)) {
        keys.push_back(key->text);
        state_dict = value;
      }
    }
    if (keys.size() > 1) {
      std::string listed;
      for (const std::string& key : keys) listed += (listed.empty() ? "'" : ", '") + key + "'";
      throw ConversionError("data.pkl: a checkpoint dict holding several state_dicts, under keys " + listed +
                            ": re-save the one to convert with torch.save(checkpoint[KEY], path)");
    }
    if (keys.size() == 1 && state_dict_key != nullptr) *state_dict_key = keys[0];
  }
  std::vector<PickledTensor> tensors;
  collect(state_dict, "", 0, visited, tensors);
  return tensors;
}

}  // namespace grurt::convert
