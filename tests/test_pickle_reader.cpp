// The restricted unpickler on hand-written pickles: what it accepts and what it refuses.
#include <catch2/catch.hpp>
#include <string>

#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/pickle_reader.hpp"
#include "grurt_convert/tensor_map.hpp"

using grurt::convert::read_state_dict_pickle;
using namespace std::string_literals;

namespace {

std::vector<grurt::convert::PickledTensor> unpickle(const std::string& bytes) {
  return read_state_dict_pickle(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

// "collections OrderedDict" with one entry NAME -> _rebuild_tensor_v2(storage KEY, offset, (2, 3), (3, 1), False, OrderedDict())
std::string one_tensor_pickle(const std::string& name, const std::string& storage_type = "FloatStorage") {
  std::string p = "\x80\x02" "ccollections\nOrderedDict\n)R("s;
  p += "X"s + std::string(1, static_cast<char>(name.size())) + std::string(3, '\0') + name;
  p += "ctorch._utils\n_rebuild_tensor_v2\n("s;
  p += "(X\x07\x00\x00\x00" "storage" "ctorch\n"s + storage_type + "\nX\x01\x00\x00\x00" "0X\x03\x00\x00\x00" "cpuK\x06tQ"s;
  p += "K\x00" "K\x02K\x03\x86" "K\x03K\x01\x86" "\x89" "ccollections\nOrderedDict\n)R" "tR"s;
  p += "u."s;
  return p;
}

}  // namespace

TEST_CASE("Pickle: a state_dict entry becomes a tensor description", "[pickle]") {
  const auto tensors = unpickle(one_tensor_pickle("fc.weight"));
  REQUIRE(tensors.size() == 1);
  REQUIRE(tensors[0].name == "fc.weight");
  REQUIRE(tensors[0].storage_key == "0");
  REQUIRE(tensors[0].dtype == "F32");
  REQUIRE(tensors[0].storage_numel == 6);
  REQUIRE(tensors[0].sizes == std::vector<std::int64_t>{2, 3});
  REQUIRE(tensors[0].strides == std::vector<std::int64_t>{3, 1});
  REQUIRE(unpickle(one_tensor_pickle("w", "HalfStorage"))[0].dtype == "F16");
  REQUIRE(unpickle(one_tensor_pickle("w", "BFloat16Storage"))[0].dtype == "BF16");
}

TEST_CASE("Pickle: globals outside the allowed list are refused by name", "[pickle]") {
  REQUIRE_THROWS_WITH(unpickle("\x80\x02" "cos\nsystem\n(X\x02\x00\x00\x00lstR."s),
                      Catch::Contains("byte 2: global 'os.system' is not allowed"));
  REQUIRE_THROWS_WITH(unpickle("\x80\x02" "cbuiltins\neval\n."s), Catch::Contains("'builtins.eval'"));
  // The same through STACK_GLOBAL (protocol 4).
  REQUIRE_THROWS_WITH(unpickle("\x80\x04\x8c\x02os\x8c\x06system\x93."s), Catch::Contains("'os.system' is not allowed"));
  REQUIRE_THROWS_WITH(unpickle("\x80\x02" "ctorch.nn.modules.rnn\nGRU\n."s),
                      Catch::Contains("whole pickled model") && Catch::Contains("model.state_dict()"));
  REQUIRE_THROWS_WITH(unpickle(one_tensor_pickle("w", "UntypedThing")), Catch::Contains("'torch.UntypedThing'"));
}

TEST_CASE("Pickle: opcodes a state_dict never uses are refused", "[pickle]") {
  // INST (i) and OBJ (o) build arbitrary objects.
  REQUIRE_THROWS_WITH(unpickle("\x80\x02(io\nsystem\n."s), Catch::Contains("opcode 0x69 is not one a state_dict pickle uses"));
  REQUIRE_THROWS_WITH(unpickle("\x80\x02" "(o."s), Catch::Contains("opcode 0x6f"));
}

TEST_CASE("Pickle: malformed streams are errors, not crashes", "[pickle]") {
  REQUIRE_THROWS_WITH(unpickle(""s), Catch::Contains("ends without a STOP"));
  REQUIRE_THROWS_WITH(unpickle("\x80\x02}"s), Catch::Contains("ends without a STOP"));
  REQUIRE_THROWS_WITH(unpickle("\x80\x02X\xff\xff\x00\x00" "abc"s), Catch::Contains("ends inside an opcode's argument"));
  REQUIRE_THROWS_WITH(unpickle("\x80\x02h\x05."s), Catch::Contains("memo key 5 was never stored"));
  REQUIRE_THROWS_WITH(unpickle("\x80\x02s."s), Catch::Contains("stack underflow"));
  REQUIRE_THROWS_WITH(unpickle("\x80\x02t."s), Catch::Contains("no MARK"));
  REQUIRE_THROWS_WITH(unpickle("\x80\x02]."s), Catch::Contains("not a dict of tensors"));
  REQUIRE_THROWS_WITH(unpickle("\x80\x02}}."s), Catch::Contains("STOP with 2 values"));
  REQUIRE_THROWS_WITH(unpickle("\x80\x02(K\x01K\x02Q."s), Catch::Contains("persistent id is not"));
  // _rebuild_tensor_v2 with arguments of the wrong kinds.
  REQUIRE_THROWS_WITH(unpickle("\x80\x02" "ctorch._utils\n_rebuild_tensor_v2\n(K\x01tR."s),
                      Catch::Contains("_rebuild_tensor_v2 arguments"));
  // A huge LONG1 is refused rather than misread.
  REQUIRE_THROWS_WITH(unpickle(std::string("\x80\x02\x8a\x09", 4) + std::string(9, '\x01') + "."),
                      Catch::Contains("integer of 9 bytes"));
}

TEST_CASE("Pickle: a checkpoint dict's one state_dict is read, other values skipped", "[pickle]") {
  // {"epoch": 3, "model": {<one tensor>}} as a plain dict.
  std::string inner = one_tensor_pickle("gru.weight");
  inner = inner.substr(2, inner.size() - 3);  // without PROTO and STOP
  const std::string outer = "\x80\x02}(X\x05\x00\x00\x00" "epochK\x03X\x05\x00\x00\x00" "model"s + inner + "u."s;
  std::string key;
  const auto tensors = read_state_dict_pickle(reinterpret_cast<const std::uint8_t*>(outer.data()), outer.size(), &key);
  REQUIRE(tensors.size() == 1);
  REQUIRE(tensors[0].name == "gru.weight");
  REQUIRE(key == "model");
  // Two dicts of tensors: which one is meant is not guessed.
  const std::string two = "\x80\x02}(X\x05\x00\x00\x00" "epochK\x03X\x05\x00\x00\x00" "model"s + inner +
                          "X\x03\x00\x00\x00" "ema"s + inner + "u."s;
  REQUIRE_THROWS_WITH(unpickle(two), Catch::Contains("several state_dicts, under keys 'model', 'ema'"));
  // The PyTorch tutorial's checkpoint has a scalar tensor 'loss' beside the state_dict: no weight.
  std::string loss = one_tensor_pickle("loss");
  const std::string shape = "K\x02K\x03\x86" "K\x03K\x01\x86"s;
  loss.replace(loss.find(shape), shape.size(), "))");
  const std::string tutorial = loss.substr(0, loss.size() - 2) + "X\x05\x00\x00\x00" "model"s + inner + "u."s;
  key.clear();
  const auto picked = read_state_dict_pickle(reinterpret_cast<const std::uint8_t*>(tutorial.data()), tutorial.size(), &key);
  REQUIRE(picked.size() == 1);
  REQUIRE(picked[0].name == "gru.weight");
  REQUIRE(key == "model");
  // A state_dict's own nested dicts are still joined with '.'.
  const std::string mixed = one_tensor_pickle("w").substr(0, one_tensor_pickle("w").size() - 2) +
                            "X\x03\x00\x00\x00" "sub"s + inner + "u."s;
  const auto flat = unpickle(mixed);
  REQUIRE(flat.size() == 2);
  REQUIRE(flat[1].name == "sub.gru.weight");
}

TEST_CASE("Pickle: a dict that contains itself stops at the nesting limit", "[pickle]") {
  // d = {}; d["d"] = d  -> memo 0 is the dict, SETITEM stores it under "d".
  REQUIRE_THROWS_WITH(unpickle("\x80\x02}q\x00X\x01\x00\x00\x00" "dh\x00s."s),
                      Catch::Contains("nested deeper than 16"));
}

TEST_CASE("Pickle: shared dicts referenced over and over stop at the visit budget", "[pickle]") {
  // Six levels, each a dict of 64 references to the level below: flattened
  // naively that is 64^6 entries (a "billion laughs" pickle of 2.5 KB).
  // Level L's dict (memo L) is built as the first value of level L + 1, whose
  // 63 other values are references to it.
  std::string level = "}q\x00(X\x01\x00\x00\x00" "aK\x01" "u"s;  // level 0: {"a": 1}
  for (int l = 1; l <= 6; ++l) {
    std::string next = "}q"s + static_cast<char>(l) + "(X\x01\x00\x00\x00" "k"s + level;
    for (int i = 1; i < 64; ++i) next += "X\x01\x00\x00\x00" "kh"s + static_cast<char>(l - 1);
    level = next + "u";
  }
  const std::string p = "\x80\x02"s + level + ".";
  REQUIRE_THROWS_WITH(unpickle(p), Catch::Contains("more than 1048576 dict entries"));
}

TEST_CASE("Pickle: more tensors than the limit are refused", "[pickle]") {
  // One tensor, memoised, then referenced under 65536 more keys.
  const std::string single = one_tensor_pickle("w");
  // one_tensor_pickle: header "...OrderedDict\n)R(" + key + tensor + "u." -> memoise the tensor before "u.".
  std::string p = single.substr(0, single.size() - 2) + "q\x01"s;
  for (std::size_t i = 0; i < grurt::convert::kMaxTensors; ++i) p += "X\x01\x00\x00\x00" "wh\x01"s;
  p += "u.";
  REQUIRE_THROWS_WITH(unpickle(p), Catch::Contains("more than 65536 tensors"));
}
