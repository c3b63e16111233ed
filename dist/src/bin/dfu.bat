@echo off
rem dfu: the dfu4j command-line tool from the installed archive. Needs only a Java 17+ runtime
rem (JAVA_HOME, or java on PATH).
setlocal
set "DFU_HOME=%~dp0.."
set "JAVA_EXE=java"
if defined JAVA_HOME if exist "%JAVA_HOME%\bin\java.exe" set "JAVA_EXE=%JAVA_HOME%\bin\java.exe"
"%JAVA_EXE%" -XX:+UseSerialGC %DFU_JAVA_OPTS% -cp "%DFU_HOME%\lib\*" io.github.dfu4j.cli.DfuCli %*
exit /b %ERRORLEVEL%
