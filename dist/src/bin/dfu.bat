@echo off
rem dfu: the dfu4j command-line tool from the installed archive. Needs only a Java 17+ runtime
rem (JAVA_HOME, or java on PATH). JVM options as in bin/dfu (docs/user-guide.md, "Start-up"),
rem without the class-data archive.
setlocal
set "DFU_HOME=%~dp0.."
set "JAVA_EXE=java"
if defined JAVA_HOME if exist "%JAVA_HOME%\bin\java.exe" set "JAVA_EXE=%JAVA_HOME%\bin\java.exe"
"%JAVA_EXE%" -XX:+UseSerialGC -XX:NewRatio=7 -XX:TieredStopAtLevel=1 -XX:-UsePerfData %DFU_JAVA_OPTS% -cp "%DFU_HOME%\lib\*" io.github.dfu4j.cli.DfuCli %*
exit /b %ERRORLEVEL%
