# Writes the fuzz targets' seed corpora from the repository's fixtures (cmake -P; SOURCE is the
# repository, OUTPUT the corpus folder). Every seed is a fixture file or a piece of one.
cmake_minimum_required(VERSION 3.25)
file(REMOVE_RECURSE ${OUTPUT})

function(copy_seeds target)
  file(MAKE_DIRECTORY ${OUTPUT}/${target})
  foreach(pattern ${ARGN})
    file(GLOB_RECURSE files ${SOURCE}/${pattern})
    foreach(file ${files})
      file(RELATIVE_PATH name ${SOURCE} ${file})
      string(REPLACE "/" "__" name "${name}")
      file(COPY_FILE ${file} ${OUTPUT}/${target}/${name})
    endforeach()
  endforeach()
endfunction()

# Writes each distinct value as one seed, named by its hash.
function(write_seeds target)
  file(MAKE_DIRECTORY ${OUTPUT}/${target})
  foreach(value IN LISTS ARGN)
    string(SHA1 name "${value}")
    file(WRITE ${OUTPUT}/${target}/${name} "${value}")
  endforeach()
endfunction()

# The values of `key:` on the lines of the fixture pipelines, without quotes.
function(fixture_values key out)
  file(GLOB_RECURSE files ${SOURCE}/fixtures/*.yaml ${SOURCE}/examples/*.yaml
       ${SOURCE}/tests/integration/*.yaml)
  set(values)
  foreach(file ${files})
    file(STRINGS ${file} lines REGEX "${key}:")
    foreach(line IN LISTS lines)
      string(REGEX REPLACE "^.*${key}: *" "" value "${line}")
      string(STRIP "${value}" value)
      string(REGEX REPLACE "[},]+$" "" value "${value}")
      string(REGEX REPLACE "^'(.*)'$" "\\1" value "${value}")
      list(APPEND values "${value}")
    endforeach()
  endforeach()
  list(REMOVE_DUPLICATES values)
  set(${out} ${values} PARENT_SCOPE)
endfunction()

set(pipelines fixtures/conformance/argo-v1/*.yaml fixtures/hostile/*.yaml
    tests/integration/*.yaml examples/train-evaluate.yaml)
copy_seeds(argo_workflow ${pipelines})
# KFP v2 IR: the compiler's own output (conformance) and the SDK-compiled test pipelines.
copy_seeds(kfp_ir fixtures/conformance/kfp-v2/*.yaml fixtures/kfp-v2/*.yaml fixtures/hostile/kfp-v2/*.yaml
           examples/v2-*.yaml)
copy_seeds(component_spec fixtures/conformance/components/*.yaml examples/components/*/component.yaml)
copy_seeds(test_file examples/*.kfrun-test.yaml)
copy_seeds(kfp_outputs fixtures/conformance/ui-metadata-examples/*.json)

# Packages: the hostile ones, and small pipelines packed as .tar.gz, .tar and .zip.
copy_seeds(argo_package fixtures/hostile/*.tar.gz fixtures/hostile/*.zip
           fixtures/conformance/argo-v1/condition.yaml)
set(packed ${SOURCE}/fixtures/conformance/argo-v1/condition.yaml
    ${SOURCE}/tests/integration/pipelines/data/cache-chain.yaml)
foreach(format gnutar pax zip)
  set(archive ${OUTPUT}/argo_package/pipeline-${format})
  execute_process(COMMAND ${CMAKE_COMMAND} -E tar cf ${archive} --format=${format} ${packed}
                  WORKING_DIRECTORY ${SOURCE})
endforeach()
execute_process(COMMAND ${CMAKE_COMMAND} -E tar czf ${OUTPUT}/argo_package/pipeline-tgz
                        fixtures/conformance/argo-v1/condition.yaml WORKING_DIRECTORY ${SOURCE})

# Tar streams as Docker sends them: one file, or one folder with files (pax, GNU).
file(MAKE_DIRECTORY ${OUTPUT}/tar_ingest)
foreach(format pax paxr gnutar)
  execute_process(COMMAND ${CMAKE_COMMAND} -E tar cf ${OUTPUT}/tar_ingest/file-${format}
                          --format=${format} image-map.txt
                  WORKING_DIRECTORY ${SOURCE}/fixtures)
  execute_process(COMMAND ${CMAKE_COMMAND} -E tar cf ${OUTPUT}/tar_ingest/folder-${format}
                          --format=${format} data
                  WORKING_DIRECTORY ${SOURCE}/examples/components/calculate-hash)
endforeach()

# Placeholders: every line of the fixture pipelines that has one.
file(GLOB pipeline_files ${SOURCE}/fixtures/conformance/argo-v1/*.yaml)
set(lines_with_tags)
foreach(file ${pipeline_files})
  file(STRINGS ${file} lines REGEX "{{")
  list(APPEND lines_with_tags ${lines})
endforeach()
list(REMOVE_DUPLICATES lines_with_tags)
list(SUBLIST lines_with_tags 0 400 lines_with_tags)
write_seeds(placeholder ${lines_with_tags})

# `when`: the fixtures' conditions with their placeholders replaced by values, as at run time.
fixture_values(when conditions)
set(substituted)
foreach(condition IN LISTS conditions)
  string(REGEX REPLACE "{{[^}]*}}" "heads" heads "${condition}")
  string(REGEX REPLACE "{{[^}]*}}" "3" number "${condition}")
  list(APPEND substituted "${heads}" "${number}")
endforeach()
write_seeds(when_expression ${substituted})

fixture_values(depends depends)
write_seeds(depends_expression ${depends})

# Loop items: withItems lists (JSON-compatible in the fixtures) after a byte that selects
# withParam; withSequence seeds as count, start, end and format lines after a zero byte.
fixture_values(withItems items)
string(ASCII 1 param)
string(ASCII 4 sequence)
set(loop_seeds)
foreach(list IN LISTS items)
  list(APPEND loop_seeds "${param}${list}")
endforeach()
list(APPEND loop_seeds "${sequence}3\n\n-\n%d" "${sequence}-\n2\n8\nitem-%02d" "${sequence}-\n5\n1\n%x")
write_seeds(loop_items ${loop_seeds})

# Viewers: each outputs[] entry of the UI-metadata examples, its inline data after a 0x1E byte.
file(GLOB metadata_files ${SOURCE}/fixtures/conformance/ui-metadata-examples/ui-metadata-*.json
     ${SOURCE}/fixtures/conformance/ui-metadata-examples/invalid/ui-metadata-*.json)
string(ASCII 30 separator)
set(viewer_seeds)
foreach(file ${metadata_files})
  file(READ ${file} metadata)
  string(JSON count ERROR_VARIABLE problem LENGTH "${metadata}" outputs)
  if(problem OR count EQUAL 0)
    continue()
  endif()
  math(EXPR last "${count} - 1")
  foreach(i RANGE ${last})
    string(JSON viewer GET "${metadata}" outputs ${i})
    string(JSON data ERROR_VARIABLE no_source GET "${metadata}" outputs ${i} source)
    if(no_source)
      set(data "")
    endif()
    list(APPEND viewer_seeds "${viewer}${separator}${data}")
  endforeach()
endforeach()
file(GLOB csv_files ${SOURCE}/examples/components/*/data/*.csv)
foreach(file ${csv_files})
  file(READ ${file} csv)
  list(APPEND viewer_seeds "{\"type\": \"table\", \"format\": \"csv\", \"header\": [\"a\", \"b\"]}${separator}${csv}")
endforeach()
write_seeds(report_viewer ${viewer_seeds})

# CEL: the fixtures' KFP v2 conditions, and the shapes the KFP compiler writes (the first line is
# the expression, the rest the parameter values as JSON).
fixture_values(condition cel_conditions)
write_seeds(cel_expression ${cel_conditions}
  "int(inputs.parameter_values['x']) > 5\n{\"x\": 7.0}"
  "!(inputs.parameter_values['s'] == 'heads') && inputs.parameter_values['s'] == 'tails'"
  "inputs.parameter_values['b'] == true\n{\"b\": false}"
  "parseJson(string_value)[\"a\"]\n{\"b\": 2, \"a\": 1}"
  "double(int(x)) * 2.5 >= 1e3 ? [1, 2u, 'a', r'\\n'] : {'k': size('\\u00e9')}")
